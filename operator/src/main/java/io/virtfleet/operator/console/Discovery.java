package io.virtfleet.operator.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The aggregated API's discovery documents (the kube-apiserver reads them to mark the APIService Available and to
 * tell kubectl what exists), and Kubernetes {@code Status} bodies for refusals.
 */
final class Discovery {
    static final String RESOURCES = """
            {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"%s/%s","resources":[\
            {"name":"virtualmachines/console","singularName":"","namespaced":true,"kind":"VirtualMachine","verbs":["get"]},\
            {"name":"virtualmachines/vnc","singularName":"","namespaced":true,"kind":"VirtualMachine","verbs":["get"]}]}"""
            .formatted(ConsoleAccess.GROUP, ConsoleAccess.VERSION);
    static final String GROUP = """
            {"kind":"APIGroup","apiVersion":"v1","name":"%1$s","versions":[{"groupVersion":"%1$s/%2$s","version":"%2$s"}],\
            "preferredVersion":{"groupVersion":"%1$s/%2$s","version":"%2$s"}}""".formatted(ConsoleAccess.GROUP, ConsoleAccess.VERSION);

    private static final ObjectMapper JSON = new ObjectMapper();

    private Discovery() {
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string always serializes", e);
        }
    }

    static String status(int code, String message) {
        String reason = switch (code) {
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            default -> "Conflict";
        };
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":"
                + quote(message) + ",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
    }
}
