package io.virtfleet.operator.console;

/** A refusal with its HTTP status, answered before the WebSocket upgrade. */
final class GatewayException extends RuntimeException {
    private final int status;

    GatewayException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }

    static GatewayException unauthorized(String message) {
        return new GatewayException(401, message);
    }

    static GatewayException forbidden(String message) {
        return new GatewayException(403, message);
    }

    static GatewayException notFound(String message) {
        return new GatewayException(404, message);
    }

    static GatewayException conflict(String message) {
        return new GatewayException(409, message);
    }
}
