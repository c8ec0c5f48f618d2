package io.virtfleet.crds.v1alpha1;

/**
 * The value formats of the API, in one place: the CRD schema (OpenAPI {@code pattern} and CEL rules) and the
 * operator's own re-check use the same expressions. Each is valid in ECMA-262, RE2 (CEL) and Java regex syntax.
 */
public final class Patterns {
    /** Object names (VirtualMachine, RootVolume): lower-case, digits, '-' and '_', not starting or ending with a sign. */
    public static final String NAME = "^[a-z0-9][a-z0-9_-]*[a-z0-9]$";
    /** A fully qualified host name: at least two labels, each 1-63 characters. */
    public static final String FQDN = "^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+"
            + "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$";
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    /** A dotted-quad IPv4 address. */
    public static final String IPV4 = "^" + OCTET + "(\\." + OCTET + "){3}$";
    /** An IPv4 address with its prefix length, e.g. 10.0.0.5/24. */
    public static final String IPV4_CIDR = "^" + OCTET + "(\\." + OCTET + "){3}/(3[0-2]|[12]?[0-9])$";
    /** A MAC address in lower-case hex. */
    public static final String MAC = "^([0-9a-f]{2}:){5}[0-9a-f]{2}$";
    /** A Linux network interface name (bridges): at most 15 characters. */
    public static final String BRIDGE = "^[A-Za-z0-9_.-]{1,15}$";
    /** A data disk's guest device, vdb..vdz. */
    public static final String DATA_DISK_DEVICE = "^vd[b-z]$";
    /** An OpenSSH public key line with one of the key types OpenSSH accepts. */
    public static final String SSH_PUBLIC_KEY = "^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)"
            + "|sk-ssh-ed25519@openssh\\.com|sk-ecdsa-sha2-nistp256@openssh\\.com) [A-Za-z0-9+/]+={0,3}( .*)?$";
    /** A crypt(3) password hash: starts with '$' ($6$..., $y$...). */
    public static final String PASSWORD_HASH = "^\\$[^\\s]+$";
    /** A positive Kubernetes quantity written as a string: a non-zero number with an optional binary/decimal suffix. */
    public static final String POSITIVE_QUANTITY = "^([0-9]*[1-9][0-9]*(\\.[0-9]*)?|[0-9]*\\.[0-9]*[1-9][0-9]*)"
            + "(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$";
    /** An absolute file path on a node: one or more '/name' segments, no empty segment, no trailing '/'. */
    public static final String ABSOLUTE_PATH = "^(/[^/]+)+$";
    /** An absolute directory on a node: '/' segments, none of them '.' or '..', no trailing '/'. */
    public static final String ABSOLUTE_DIRECTORY = "^(/[^/]+)+$";
    /** A path segment that climbs or stays: '.' or '..' anywhere in a path. */
    public static final String DOT_SEGMENT = "(^|/)\\.\\.?(/|$)";
    /** An image URL the agent can fetch: s3://, minio:// or http(s)://. */
    public static final String IMAGE_URL = "^(s3|minio|https?)://.+$";
    /** An image URL prefix a TenantPolicy may allow: scheme and at least a host or bucket. */
    public static final String IMAGE_URL_PREFIX = "^(s3|minio|https?)://[^/]+(/.*)?$";
    /** A libvirt storage pool / LVM volume group name. */
    public static final String POOL = "^[A-Za-z0-9_.+-]{1,128}$";
    /**
     * A host device resource name, DNS-like {@code domain/name} (e.g. {@code gpu.example.com/t4}); the host agent's
     * allow-list entries use the same form.
     */
    public static final String HOST_DEVICE_RESOURCE = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+"
            + "/[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$";
    /** A host device's local name in a VM: a DNS label. */
    public static final String HOST_DEVICE_NAME = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    /** A PCI address as the host agents report it: {@code dddd:bb:ss.f} in lower-case hex. */
    public static final String PCI_ADDRESS = "^[0-9a-f]{4}:[0-9a-f]{2}:[0-1][0-9a-f]\\.[0-7]$";
    /**
     * A catalogue image's name (VirtualMachineImage), as {@code spec.image.catalog} names it: a DNS label-like name of at
     * most 63 characters, so no '/' and no leading '.' (the agent also uses it as a pin file name).
     */
    public static final String CATALOG_IMAGE_NAME = "^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$";
    /** A lower-case hex SHA-256. */
    public static final String SHA256 = "^[a-f0-9]{64}$";

    /** CEL rule for an int-or-string quantity field: a positive integer or a positive quantity string. */
    public static final String POSITIVE_QUANTITY_RULE =
            "type(self) == int ? self > 0 : string(self).matches(r'" + POSITIVE_QUANTITY + "')";
    /** CEL rule for an int-or-string quantity that may be zero (quotas). */
    public static final String NON_NEGATIVE_QUANTITY_RULE = "type(self) == int ? self >= 0 : string(self).matches(r'^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$')";
    /** CEL rule on the root of an object: its name follows {@link #NAME}. */
    public static final String NAME_RULE = "self.metadata.name.matches(r'" + NAME + "')";
    /** CEL rule on a list of strings: every entry is an IPv4 address. */
    public static final String IPV4_LIST_RULE = "self.all(a, a.matches(r'" + IPV4 + "'))";
    /** CEL rule on a list of strings: every entry is an OpenSSH public key. */
    public static final String SSH_KEY_LIST_RULE = "self.all(k, k.matches(r'" + SSH_PUBLIC_KEY + "'))";
    /** CEL rule on the data disk list: no guest device twice. */
    public static final String UNIQUE_DEVICES_RULE = "self.all(d, self.exists_one(e, e.device == d.device))";
    /** CEL rule on the host device list: no local name twice. */
    public static final String UNIQUE_HOST_DEVICE_NAMES_RULE = "self.all(d, self.exists_one(e, e.name == d.name))";
    /** CEL rule on a list of strings: every entry is a host device resource name. */
    public static final String HOST_DEVICE_RESOURCE_LIST_RULE = "self.all(r, r.matches(r'" + HOST_DEVICE_RESOURCE + "'))";
    /**
     * CEL rule on the NIC list: no IPv4 address twice, whatever the prefix length. substring/indexOf rather than
     * split(): the API server sizes a substring like its input (bounded by maxLength), a split() element not at all.
     * The appended '/' keeps the rule defined for an address without a prefix (which the pattern refuses anyway).
     */
    public static final String UNIQUE_IPS_RULE =
            "self.all(n, !has(n.ip) || self.exists_one(m, has(m.ip) && (m.ip + '/').substring(0, (m.ip + '/').indexOf('/'))"
            + " == (n.ip + '/').substring(0, (n.ip + '/').indexOf('/'))))";
    /**
     * CEL rule on a VM spec: vcpus within the declared maximum. memory against maxMemory is checked by the operator
     * only: comparing quantities needs the Kubernetes quantity CEL library (API servers 1.29+), which the chart's
     * minimum (1.25) lacks.
     */
    public static final String VCPUS_WITHIN_MAXIMUM_RULE =
            "!has(self.liveUpdate) || !has(self.liveUpdate.maxVcpus) || self.vcpus <= self.liveUpdate.maxVcpus";
    /** A VirtualNetwork's name as NICs and policies name it: a DNS label-like name of at most 63 characters. */
    public static final String NETWORK_NAME = "^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$";
    /** CEL rule on a list of strings: every entry is a network name, or a prefix of one ending in '*'. */
    public static final String NETWORK_LIST_RULE = "self.all(n, n.matches(r'^[a-z0-9][a-z0-9.-]{0,62}[*]?$'))";
    /** CEL rule on the NIC list: at most one NIC carries the default route. */
    public static final String ONE_DEFAULT_ROUTE_RULE =
            "self.filter(n, has(n.defaultRoute) && n.defaultRoute).size() <= 1";

    /** CEL rule on a list of strings: every entry is a bridge name. */
    public static final String BRIDGE_LIST_RULE = "self.all(b, b.matches(r'" + BRIDGE + "'))";
    /** CEL rule on a list of strings: every entry is a pool name. */
    public static final String POOL_LIST_RULE = "self.all(p, p.matches(r'" + POOL + "'))";
    /** CEL rule on a list of strings: every entry is an absolute directory without '.' or '..' segments. */
    public static final String DIRECTORY_LIST_RULE = "self.all(d, d.matches(r'" + ABSOLUTE_DIRECTORY + "') && "
            + "!d.matches(r'" + DOT_SEGMENT + "'))";

    private Patterns() {
    }
}
