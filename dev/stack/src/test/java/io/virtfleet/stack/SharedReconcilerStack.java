package io.virtfleet.stack;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * Hands every reconciler test class the same {@link ReconcilerStack}: started by the first class that asks, closed by
 * JUnit when the run ends (an AutoCloseable in the root store). Start-up is most of the tier's time; the classes name
 * their objects apart, so they need no stack of their own.
 */
final class SharedReconcilerStack implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SharedReconcilerStack.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ReconcilerStack.class;
    }

    @Override
    public ReconcilerStack resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(ReconcilerStack.class, type -> {
            try {
                return ReconcilerStack.start(Files.createTempDirectory("virtfleet-api-"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, ReconcilerStack.class);
    }
}
