package io.virtfleet.operator.console;

import java.util.List;
import java.util.Map;

/** Who asks, as the API server told us (front proxy headers) or as a TokenReview answered. */
public record Identity(String user, String uid, List<String> groups, Map<String, List<String>> extra) {
    public Identity {
        groups = List.copyOf(groups);
        extra = Map.copyOf(extra);
    }
}
