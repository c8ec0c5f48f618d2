package io.virtfleet.agent.contract;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * Traffic filtering of one NIC (libvirt nwfilter). Anti-spoofing (libvirt's {@code clean-traffic} with the NIC's MAC
 * and IP) is on unless {@code antiSpoofingDisabled}, which the agent accepts only where its platform allows it.
 *
 * @param rules extra rules rendered into a filter of the NIC's own ({@code vf-fw-<domain>-nic<i>}); they sit in the
 *              IP layer behind the anti-spoofing chains (priority 1..1000), so none can re-open spoofed traffic
 */
public record NicFirewall(boolean antiSpoofingDisabled, List<Rule> rules) {
    public static final int MIN_PRIORITY = 1;
    public static final int MAX_PRIORITY = 1000;

    /**
     * One rule: traffic in {@code direction} with {@code protocol} to {@code portStart..portEnd} from (in) or to (out)
     * one of {@code cidrs} (none: any address) gets {@code action}; lower priority is evaluated first.
     */
    public record Rule(Direction direction, Protocol protocol, Integer portStart, Integer portEnd, List<String> cidrs,
                       Action action, int priority) {
    }

    /** {@code in}: towards the guest; {@code out}: from the guest; {@code inout}: both. */
    public enum Direction {
        IN("in"), OUT("out"), INOUT("inout");

        private final String wireName;

        Direction(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }
    }

    /** IP-layer protocols only: layer-2 rules could undo anti-spoofing. */
    public enum Protocol {
        TCP("tcp"), UDP("udp"), ICMP("icmp"), ALL("all");

        private final String wireName;

        Protocol(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }

        public boolean hasPorts() {
            return this == TCP || this == UDP;
        }
    }

    public enum Action {
        ACCEPT("accept"), DROP("drop"), REJECT("reject");

        private final String wireName;

        Action(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }
    }
}
