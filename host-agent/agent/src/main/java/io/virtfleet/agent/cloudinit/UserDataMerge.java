package io.virtfleet.agent.cloudinit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges extra cloud-config (from a Secret) into the generated one, the way cloud-init's own
 * {@code list(append)+dict(recurse_array)} merge would: lists are appended (extra {@code users}, {@code runcmd},
 * {@code write_files} add to ours), mappings merge key by key, and for any other value the extra one wins.
 */
final class UserDataMerge {
    private UserDataMerge() {
    }

    @SuppressWarnings("unchecked")
    static void mergeInto(Map<String, Object> target, Map<String, Object> extra) {
        for (Map.Entry<String, Object> entry : extra.entrySet()) {
            Object ours = target.get(entry.getKey());
            Object theirs = entry.getValue();
            if (ours instanceof List<?> list && theirs instanceof List<?> more) {
                List<Object> merged = new ArrayList<>(list);
                merged.addAll(more);
                target.put(entry.getKey(), merged);
            } else if (ours instanceof Map<?, ?> map && theirs instanceof Map<?, ?> more) {
                Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) map);
                mergeInto(merged, (Map<String, Object>) more);
                target.put(entry.getKey(), merged);
            } else {
                target.put(entry.getKey(), theirs);
            }
        }
    }
}
