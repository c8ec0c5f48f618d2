package io.virtfleet.stack;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** What an end-to-end class on one real node shares: its {@link OneNodeStack} for the class, swept after it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OneNodeEndToEndTests {
    @TempDir
    static Path work;

    OneNodeStack node;
    LocalStack stack;
    KubernetesClient client;
    NodeContents host;

    /** The prefix of the class's storage pool, so that a leftover names the class it came from. */
    abstract String poolPrefix();

    @BeforeAll
    void startOneNode() {
        node = OneNodeStack.start(work, poolPrefix());
        stack = node.stack();
        client = node.client();
        host = node.host();
    }

    @AfterAll
    void stopAndSweep() throws Exception {
        node.close();
    }
}
