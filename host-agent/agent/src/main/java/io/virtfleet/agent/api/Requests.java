package io.virtfleet.agent.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentJson;
import io.virtfleet.agent.contract.AgentPaths;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * What every resource's routes do the same way: read the JSON body, {@code {name}} and {@code ?ownerUid=}, and answer a
 * declarative PUT or a DELETE.
 */
final class Requests {
    /** The largest request body read: requests are small JSON documents (a seed's user-data included). */
    static final long MAX_BODY_BYTES = 1L << 20;
    private static final ObjectReader STRICT = AgentJson.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The path parameter of a volume's or domain's name. */
    static final String NAME = "name";

    private Requests() {
    }

    /** The resource path with its name parameter: {@code <collection>/{name}}. */
    static String named(String collection) {
        return collection + "/{" + NAME + "}";
    }

    static String name(Context ctx) {
        return ResourceNames.require("name", ctx.pathParam(NAME));
    }

    /** {@code ?ownerUid=}: a deletion only of what that owner's object owns; absent: no owner check. */
    static String ownerUid(Context ctx) {
        return ResourceNames.requireOwnerUid(ctx.queryParam(AgentPaths.OWNER_UID));
    }

    /**
     * A declarative PUT: the body read and checked, the desired state handed over, then 200 once the status matches
     * the request ({@code settled}) and 202 while work continues in the background.
     */
    static <R, S> Handler put(Class<R> type, Consumer<R> check, BiFunction<String, R, S> apply,
                              BiPredicate<R, S> settled) {
        return ctx -> {
            R request = body(ctx, type);
            if (request != null) {
                check.accept(request);
            }
            S status = apply.apply(name(ctx), request);
            ctx.status(settled.test(request, status) ? 200 : 202).json(status);
        };
    }

    /** A DELETE by name and optional owner: 204, also when there was nothing to delete. */
    static Handler delete(BiConsumer<String, String> delete) {
        return ctx -> {
            delete.accept(name(ctx), ownerUid(ctx));
            ctx.status(204);
        };
    }

    /**
     * A DELETE that may have to wait for the host (a guest shutting down): 202 with the resource's status while the
     * removal continues in the background, 204 once nothing is left (also when there was nothing to delete).
     */
    static Handler deleteInBackground(BiFunction<String, String, Optional<?>> delete) {
        return ctx -> {
            Optional<?> underway = delete.apply(name(ctx), ownerUid(ctx));
            if (underway.isPresent()) {
                ctx.status(202).json(underway.get());
            } else {
                ctx.status(204);
            }
        };
    }

    /**
     * The body as {@code type}: at most {@link #MAX_BODY_BYTES} read from the stream whatever the headers say (a
     * chunked body has no length to check up front; 413 beyond it), and fields the contract does not have refused
     * (400) rather than silently dropped: a request the agent does not fully understand is not carried out.
     */
    static <T> T body(Context ctx, Class<T> type) {
        byte[] bytes = boundedBody(ctx);
        if (bytes.length == 0) {
            throw AgentException.invalid("a JSON " + type.getSimpleName() + " body is required");
        }
        try {
            return STRICT.readValue(bytes, type);
        } catch (UnrecognizedPropertyException e) {
            throw AgentException.invalid("the body is not a valid " + type.getSimpleName() + ": unknown field '"
                    + e.getPropertyName() + "'");
        } catch (JsonProcessingException e) {
            throw AgentException.invalid("the body is not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw AgentException.invalid("cannot read the request body: " + e.getMessage());
        }
    }

    private static byte[] boundedBody(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            throw new TooLarge();
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes((int) MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new TooLarge();
            }
            return bytes;
        } catch (IOException e) {
            throw AgentException.invalid("cannot read the request body: " + e.getMessage());
        }
    }

    /** A body over {@link #MAX_BODY_BYTES}: answered 413 by {@link ErrorResponses}. */
    static final class TooLarge extends RuntimeException {
        TooLarge() {
            super("the request body exceeds " + MAX_BODY_BYTES + " bytes", null, false, false);
        }
    }
}
