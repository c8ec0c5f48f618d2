package io.virtfleet.operator.policy;

import io.virtfleet.crds.v1alpha1.ImageSource;
import io.virtfleet.crds.v1alpha1.ImageSourceRule;
import io.virtfleet.crds.v1alpha1.KernelBoot;
import io.virtfleet.crds.v1alpha1.NetworkInterface;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;
import io.virtfleet.operator.spec.Problem;
import io.virtfleet.operator.status.Reason;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a spec against its namespace's {@link EffectivePolicy}, before any agent call. Each refusal names the
 * field, the value, and what the platform team would have to allow; reasons match the agent's own refusals.
 */
public final class PolicyChecks {
    /** A '.' or '..' path segment, also percent-encoded: such a path could climb out of an allowed directory. */
    private static final Pattern DOT_SEGMENT = Pattern.compile("(^|/)(\\.|%2e){1,2}(/|$)", Pattern.CASE_INSENSITIVE);

    private PolicyChecks() {
    }

    /** @param prefix where the spec sits: {@code spec}, or {@code spec.rootVolume.template} inside a VM */
    public static Optional<Problem> volume(RootVolumeSpec spec, String prefix, EffectivePolicy policy) {
        if (spec.getStorage() != null && !policy.pools().contains(spec.getStorage())) {
            return Optional.of(new Problem(Reason.STORAGE_POOL_NOT_ALLOWED, prefix + ".storage '" + spec.getStorage()
                    + "' is not an allowed storage pool (" + policy.describe() + " allows "
                    + list(policy.pools()) + "); leave it empty for the default pool, or ask the platform team to add it "
                    + "to storagePools of a TenantPolicy for this namespace"));
        }
        // A clone: its source passed these checks itself. A catalogue image is the platform's choice of URL and
        // credentials: its own namespaceSelector allows it (CatalogImages), imageSources do not apply.
        return spec.getImage() == null || spec.getImage().getCatalog() != null ? Optional.empty()
                : imageSource(spec.getImage(), prefix + ".image", policy);
    }

    public static Optional<Problem> virtualMachine(VirtualMachineSpec spec, EffectivePolicy policy) {
        Optional<Problem> boot = kernelBoot(spec.getKernelBoot(), policy);
        if (boot.isPresent()) {
            return boot;
        }
        List<NetworkInterface> nics = spec.getNetworkInterfaces() == null ? List.of() : spec.getNetworkInterfaces();
        Optional<Problem> networks = NicPolicyChecks.networksAndFirewalls(nics, policy)
                .or(() -> HostDevicePolicyChecks.allowed(spec.getHostDevices(), policy));
        if (networks.isPresent()) {
            return networks;
        }
        for (int i = 0; i < nics.size(); i++) {
            String bridge = nics.get(i).getBridge();
            if (bridge != null && !policy.bridges().contains(bridge)) {
                return Optional.of(new Problem(Reason.BRIDGE_NOT_ALLOWED, "spec.networkInterfaces[" + i + "].bridge '"
                        + bridge + "' is not an allowed bridge (" + policy.describe() + " allows "
                        + list(policy.bridges()) + "); ask the platform team to add it to bridges of a TenantPolicy "
                        + "for this namespace"));
            }
        }
        if (spec.getRootVolume() != null && spec.getRootVolume().getTemplate() != null) {
            return volume(spec.getRootVolume().getTemplate(), "spec.rootVolume.template", policy);
        }
        return Optional.empty();
    }

    static Optional<Problem> kernelBoot(KernelBoot boot, EffectivePolicy policy) {
        if (boot == null) {
            return Optional.empty();
        }
        for (String[] file : new String[][]{{"kernel", boot.getKernel()}, {"initrd", boot.getInitrd()}}) {
            String path = file[1];
            if (path == null) {
                continue;
            }
            String field = "spec.kernelBoot." + file[0];
            if (DOT_SEGMENT.matcher(path).find()) {
                return Optional.of(new Problem(Reason.HOST_PATH_NOT_ALLOWED, field + " '" + path
                        + "' contains a '.' or '..' segment; name the file by its plain absolute path"));
            }
            if (policy.kernelDirectories().stream().noneMatch(dir -> inside(path, dir))) {
                return Optional.of(new Problem(Reason.HOST_PATH_NOT_ALLOWED, field + " '" + path
                        + "' is not inside a directory allowed for direct kernel boot (" + policy.describe()
                        + " allows " + list(policy.kernelDirectories()) + "); ask the platform team to add its "
                        + "directory to kernelBootDirectories of a TenantPolicy for this namespace"));
            }
        }
        return Optional.empty();
    }

    static boolean inside(String path, String directory) {
        String dir = directory.endsWith("/") ? directory : directory + "/";
        return path.startsWith(dir) && path.length() > dir.length() && !DOT_SEGMENT.matcher(directory).find();
    }

    /**
     * s3:// and minio:// images without a credentialsSecret are fetched with the platform's credentials: only under a
     * prefix that grants them. Otherwise a policy without imageSources allows the tenant's own credentials or public
     * https, and a policy with imageSources allows exactly its prefixes.
     */
    static Optional<Problem> imageSource(ImageSource image, String field, EffectivePolicy policy) {
        String url = image.getUrl();
        boolean platformCredentials = usesPlatformCredentials(image);
        if (DOT_SEGMENT.matcher(pathOf(url)).find()) {
            return Optional.of(new Problem(Reason.IMAGE_SOURCE_NOT_ALLOWED, field + ".url '" + url
                    + "' contains a '.' or '..' segment; name the image by its plain URL"));
        }
        boolean allowed = policy.imageSources().stream()
                .anyMatch(rule -> underPrefix(url, rule.getUrlPrefix())
                        && (!platformCredentials || Boolean.TRUE.equals(rule.getPlatformCredentials())))
                || policy.ownSourcesAllowed() && !platformCredentials
                && (image.getCredentialsSecret() != null || url.startsWith("https://"));
        if (allowed) {
            return Optional.empty();
        }
        String why = platformCredentials
                ? "names no credentialsSecret, so it would be fetched with the platform's S3 credentials, which "
                + policy.describe() + " allows only under " + list(policy.imageSources().stream()
                .filter(r -> Boolean.TRUE.equals(r.getPlatformCredentials())).map(ImageSourceRule::getUrlPrefix).toList())
                + "; set image.credentialsSecret to your own credentials, or ask the platform team for an imageSources "
                + "entry with platformCredentials: true covering it"
                : "is not an allowed image source (" + policy.describe() + " allows " + allowedSources(policy)
                + "); ask the platform team to add its prefix to imageSources of a TenantPolicy for this namespace";
        return Optional.of(new Problem(Reason.IMAGE_SOURCE_NOT_ALLOWED, field + ".url '" + url + "' " + why));
    }

    private static String allowedSources(EffectivePolicy policy) {
        List<String> parts = new java.util.ArrayList<>();
        if (policy.ownSourcesAllowed()) {
            parts.add("images with your own credentialsSecret and public https:// URLs");
        }
        policy.imageSources().stream().map(ImageSourceRule::getUrlPrefix).sorted().forEach(parts::add);
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    static boolean usesPlatformCredentials(ImageSource image) {
        String url = image.getUrl().toLowerCase(Locale.ROOT);
        return image.getCredentialsSecret() == null && (url.startsWith("s3://") || url.startsWith("minio://"));
    }

    /** A prefix matches whole segments: s3://images allows s3://images/x but not s3://images-old/x. */
    static boolean underPrefix(String url, String prefix) {
        if (prefix == null || !url.startsWith(prefix)) {
            return false;
        }
        return prefix.endsWith("/") || url.length() == prefix.length() || url.charAt(prefix.length()) == '/';
    }

    private static String pathOf(String url) {
        int scheme = url.indexOf("://");
        return scheme < 0 ? url : url.substring(scheme + 2);
    }

    private static String list(java.util.Collection<String> values) {
        return values.isEmpty() ? "none" : String.join(", ", values.stream().sorted().toList());
    }
}
