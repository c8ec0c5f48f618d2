package io.virtfleet.agent.api;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks {@code Authorization: Bearer <token>} against the configured token. */
final class BearerAuth {
    private static final String PREFIX = "Bearer ";

    private final byte[] expected;

    BearerAuth(String token) {
        this.expected = token.getBytes(StandardCharsets.UTF_8);
    }

    void check(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.startsWith(PREFIX)) {
            throw unauthorized("an Authorization: Bearer <token> header is required");
        }
        byte[] presented = authorizationHeader.substring(PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8);
        // Constant-time: the answer's timing must not reveal how much of a guessed token was right.
        if (!MessageDigest.isEqual(expected, presented)) {
            throw unauthorized("the bearer token is not valid");
        }
    }

    private static AgentException unauthorized(String message) {
        return new AgentException(AgentException.Kind.UNAUTHORIZED, AgentErrorReasons.UNAUTHORIZED, message);
    }
}
