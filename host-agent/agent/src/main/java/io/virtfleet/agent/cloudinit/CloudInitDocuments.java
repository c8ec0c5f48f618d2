package io.virtfleet.agent.cloudinit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.CloudInitSeed;
import io.virtfleet.agent.contract.MacAddresses;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link CloudInitSeed} into NoCloud files: {@code user-data} (#cloud-config), {@code meta-data} and
 * {@code network-config} (version 2, matched by MAC). Documents are built as maps and serialized by Jackson YAML, so
 * no value can break the YAML structure.
 */
public final class CloudInitDocuments {
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // without this MINIMIZE_QUOTES writes the string "2" as the number 2
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());
    private static final String CLOUD_CONFIG_HEADER = "#cloud-config\n";

    private CloudInitDocuments() {
    }

    /** All three files; {@code instanceId} is the one the seed's meta-data carries. */
    public static SeedFiles render(CloudInitSeed seed, String instanceId) {
        return new SeedFiles(userData(seed), metaData(seed, instanceId), networkConfig(seed.networks()));
    }

    static String userData(CloudInitSeed seed) {
        Map<String, Object> config = new LinkedHashMap<>();
        if (seed.hostname() != null) {
            config.put("hostname", seed.hostname());
        }
        if (seed.fqdn() != null) {
            config.put("fqdn", seed.fqdn());
            config.put("prefer_fqdn_over_hostname", false);
            // Without this the FQDN reaches no file: cloud-init writes the short name to /etc/hostname, and
            // `hostname -f` fails on a static network (a real Debian 12 guest: "Temporary failure in name resolution").
            config.put("manage_etc_hosts", "localhost");
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", "root");
        List<String> keys = nullToEmpty(seed.sshAuthorizedKeys());
        if (!keys.isEmpty()) {
            root.put("ssh_authorized_keys", keys);
        }
        boolean password = seed.rootPasswordHash() != null && !seed.rootPasswordHash().isBlank();
        root.put("lock_passwd", !password);
        config.put("users", new ArrayList<>(List.of("default", root)));
        config.put("disable_root", false);
        if (password) {
            config.put("chpasswd", ordered("expire", false, "users",
                    List.of(ordered("name", "root", "password", seed.rootPasswordHash(), "type", "hash"))));
        }
        config.put("ssh_pwauth", password);
        if (seed.extraUserData() != null && !seed.extraUserData().isBlank()) {
            UserDataMerge.mergeInto(config, parseExtra(seed.extraUserData()));
        }
        return CLOUD_CONFIG_HEADER + write(config);
    }

    static String metaData(CloudInitSeed seed, String instanceId) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("instance-id", instanceId);
        String hostname = seed.hostname() != null ? seed.hostname() : seed.fqdn();
        if (hostname != null) {
            meta.put("local-hostname", hostname);
        }
        return write(meta);
    }

    /**
     * Netplan v2 with one ethernet per network, matched by MAC (the NIC's, or {@code be:ef:} + the first IPv4's
     * octets). The default route goes via the first network with a gateway unless a network asks for it.
     */
    static String networkConfig(List<CloudInitSeed.Network> networks) {
        List<CloudInitSeed.Network> all = nullToEmpty(networks);
        boolean defaultRouteChosen = all.stream().anyMatch(CloudInitSeed.Network::defaultRoute);
        int defaultRouteIndex = -1;
        for (int i = 0; i < all.size(); i++) {
            if (defaultRouteChosen ? all.get(i).defaultRoute() : all.get(i).gateway() != null) {
                defaultRouteIndex = i;
                break;
            }
        }
        Map<String, Object> ethernets = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            ethernets.put("nic" + i, ethernet(all.get(i), "eth" + i, i == defaultRouteIndex));
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("version", 2);
        config.put("ethernets", ethernets);
        return write(config);
    }

    /** The MAC a network is matched by: its own, else derived from its first address. */
    public static String macOf(CloudInitSeed.Network network) {
        List<String> addresses = nullToEmpty(network.addresses());
        String mac = MacAddresses.forNic(network.mac(), addresses.isEmpty() ? null : addresses.getFirst());
        if (mac == null) {
            throw AgentException.invalid("a cloud-init network needs a mac or an IPv4 address to derive one from");
        }
        return mac;
    }

    private static Map<String, Object> ethernet(CloudInitSeed.Network network, String interfaceName, boolean defaultRoute) {
        Map<String, Object> ethernet = new LinkedHashMap<>();
        ethernet.put("match", ordered("macaddress", macOf(network)));
        ethernet.put("set-name", interfaceName);
        List<String> addresses = nullToEmpty(network.addresses());
        if (addresses.isEmpty()) {
            ethernet.put("dhcp4", true);
        } else {
            ethernet.put("addresses", addresses);
        }
        if (defaultRoute && network.gateway() != null) {
            // gateway4/6, not `routes: [{to: default}]`: cloud-init 22.4 (Debian 12) rejects `to: default` and applies
            // no network config at all ("Address default is not a valid ip network", stage init-local failed), and
            // its ifupdown renderer turns routes into `route add` (net-tools, often absent) but a gateway into ifupdown's
            // own `gateway`. Netplan calls gateway4 deprecated but applies it.
            ethernet.put(network.gateway().contains(":") ? "gateway6" : "gateway4", network.gateway());
        }
        List<String> dns = nullToEmpty(network.dns());
        if (!dns.isEmpty()) {
            ethernet.put("nameservers", ordered("addresses", dns));
        }
        return ethernet;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parseExtra(String extraUserData) {
        try {
            Object parsed = YAML.readValue(extraUserData, Object.class);
            if (parsed == null) {
                return Map.of();
            }
            if (!(parsed instanceof Map<?, ?>)) {
                throw AgentException.invalid("extraUserData must be a cloud-config mapping, not a "
                        + parsed.getClass().getSimpleName());
            }
            return (Map<String, Object>) parsed;
        } catch (JsonProcessingException e) {
            // the message may quote the content, which can hold secrets: report only where it broke
            throw AgentException.invalid("extraUserData is not valid YAML (line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")");
        }
    }

    /** A mapping that keeps the order its keys are given in (Map.of does not): the documents read top-down. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static String write(Map<String, Object> document) {
        try {
            return YAML.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write cloud-init YAML", e);
        }
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
