package io.virtfleet.agent.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentJson;
import io.virtfleet.agent.contract.AgentPaths;
import java.io.IOException;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * What every resource's routes do the same way: read the JSON body, {@code {name}} and {@code ?ownerUid=}, and answer a
 * declarative PUT or a DELETE.
 */
final class Requests {
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

    static <T> T body(Context ctx, Class<T> type) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            throw AgentException.invalid("a JSON " + type.getSimpleName() + " body is required");
        }
        try {
            return AgentJson.MAPPER.readValue(bytes, type);
        } catch (JsonProcessingException e) {
            throw AgentException.invalid("the body is not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw AgentException.invalid("cannot read the request body: " + e.getMessage());
        }
    }
}
