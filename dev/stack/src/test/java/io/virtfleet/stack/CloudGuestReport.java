package io.virtfleet.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a real guest's cloud-init applied, as printed to the serial console by the {@code runcmd} of
 * {@link #userData}: every line starts with {@code VFCLOUD <instance-id> }, so the lines of one cloud-init run are
 * told apart from the kernel's and systemd's output and from other runs. Single values are {@code key=value}, command
 * output is {@code key| line}. {@code END} is printed last.
 *
 * @param instanceId the instance-id cloud-init ran under (from /var/lib/cloud/data/instance-id)
 * @param values     {@code key=value} lines
 * @param lines      {@code key| line} lines, per key in order
 * @param complete   whether the END line was seen
 * @param console    the whole console log the report was read from
 */
record CloudGuestReport(String instanceId, Map<String, String> values, Map<String, List<String>> lines,
                        boolean complete, String console) {
    static final String PREFIX = "VFCLOUD ";
    /** "$6$" and a 16-character salt: enough to recognise the hash without printing all of it. */
    static final int HASH_PREFIX_LENGTH = 19;

    /**
     * Extra cloud-config for the Secret: a marker file (write_files) and a runcmd that prints, straight to ttyS0, the
     * marker, the host names, links, IPv4 addresses, routes, root's authorized_keys, the start of root's password
     * hash, resolv.conf, and cloud-init's own warnings.
     */
    static String userData(String marker) {
        return """
                #cloud-config
                write_files:
                - path: /etc/virtfleet-e2e
                  content: %1$s
                runcmd:
                - - sh
                  - -c
                  - |
                    iid=$(cat /var/lib/cloud/data/instance-id)
                    p="VFCLOUD $iid"
                    {
                      echo "$p marker=%1$s"
                      echo "$p hostname=$(hostname)"
                      echo "$p fqdn=$(timeout 10 hostname -f 2>&1)"
                      ip -o link show | sed "s|^|$p link\\| |"
                      ip -o -4 addr show | sed "s|^|$p ip4\\| |"
                      ip route | sed "s|^|$p route\\| |"
                      sed "s|^|$p authorized_keys\\| |" /root/.ssh/authorized_keys
                      echo "$p root-hash-prefix=$(getent shadow root | cut -d: -f2 | cut -c1-%2$d)"
                      echo "$p marker-file=$(cat /etc/virtfleet-e2e)"
                      sed "s|^|$p resolv.conf\\| |" /etc/resolv.conf
                      grep -E "WARNING|ERROR|Traceback" /var/log/cloud-init.log | sed "s|^|$p cloud-init-log\\| |"
                      echo "$p END"
                    } > /dev/ttyS0 2>&1
                """.formatted(marker, HASH_PREFIX_LENGTH);
    }

    /** The report of the run under {@code instanceId} in a console log, or null when it has not started. */
    static CloudGuestReport parse(String console, String instanceId) {
        String prefix = PREFIX + instanceId + " ";
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, List<String>> lines = new LinkedHashMap<>();
        boolean seen = false;
        boolean complete = false;
        for (String raw : console.split("\r?\n")) {
            int at = raw.indexOf(prefix);
            if (at < 0) {
                continue;
            }
            seen = true;
            String item = raw.substring(at + prefix.length()).stripTrailing();
            int bar = item.indexOf("| ");
            int equals = item.indexOf('=');
            if (item.equals("END")) {
                complete = true;
            } else if (bar > 0 && (equals < 0 || bar < equals)) {
                lines.computeIfAbsent(item.substring(0, bar), k -> new ArrayList<>()).add(item.substring(bar + 2));
            } else if (equals > 0) {
                values.put(item.substring(0, equals), item.substring(equals + 1));
            }
        }
        return seen ? new CloudGuestReport(instanceId, values, lines, complete, console) : null;
    }

    String value(String key) {
        return values.get(key);
    }

    List<String> lines(String key) {
        return lines.getOrDefault(key, List.of());
    }
}
