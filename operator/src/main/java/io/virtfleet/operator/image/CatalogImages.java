package io.virtfleet.operator.image;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.virtfleet.crds.v1alpha1.ImageSource;
import io.virtfleet.crds.v1alpha1.VirtualMachineImage;
import io.virtfleet.crds.v1alpha1.VirtualMachineImageSpec;
import io.virtfleet.operator.policy.ImageAllowance;
import io.virtfleet.operator.policy.TenantPolicies;
import io.virtfleet.operator.spec.Problem;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The image catalogue as RootVolumes see it: {@code spec.image.catalog} resolved to the platform's URL, digest, format
 * and credentials, from an informer cache (no API call per reconcile), for namespaces the image's namespaceSelector
 * selects only. Listeners hear the name of each image that was added, changed or deleted.
 */
public final class CatalogImages implements ImageAllowance, AutoCloseable {
    /** No VirtualMachineImage of that name (yet): the volume waits and is woken when one appears. */
    public static final String IMAGE_NOT_FOUND = "ImageNotFound";
    /** The image's namespaceSelector does not select the volume's namespace. */
    public static final String IMAGE_NOT_ALLOWED = "ImageNotAllowed";

    private final SharedIndexInformer<VirtualMachineImage> images;
    private final TenantPolicies namespaces;
    private final String platformNamespace;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param namespaces        the namespaces' labels (the TenantPolicies' informer, shared)
     * @param platformNamespace where the catalogue's credentialsSecret lives: the operator's own namespace
     */
    public CatalogImages(KubernetesClient client, TenantPolicies namespaces, String platformNamespace) {
        this.namespaces = namespaces;
        this.platformNamespace = platformNamespace;
        this.images = client.resources(VirtualMachineImage.class).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(VirtualMachineImage image) {
                changed(image);
            }

            @Override
            public void onUpdate(VirtualMachineImage before, VirtualMachineImage after) {
                if (!java.util.Objects.equals(before.getMetadata().getGeneration(), after.getMetadata().getGeneration())) {
                    changed(after);
                }
            }

            @Override
            public void onDelete(VirtualMachineImage image, boolean finalStateUnknown) {
                changed(image);
            }
        });
    }

    /**
     * A RootVolume's image as the agent gets it.
     *
     * @param source                the URL, digest and format to fetch
     * @param credentialsNamespace  where {@code source.credentialsSecret} lives: the volume's namespace for a URL image,
     *                              the operator's for a catalogue image
     * @param catalog               the catalogue image's name; null for a URL image
     * @param knownSha256           the digest for scheduling (nodes caching it come first): the source's, else the
     *                              one the catalogue's status learned from the agents; never sent to an agent as
     *                              the expected digest (the URL may serve a newer image by now)
     */
    public record Resolved(ImageSource source, String credentialsNamespace, String catalog, String knownSha256) {
        /** How texts about this image read to the tenant: a catalogue image by its name, a URL image as written. */
        public CatalogImageText tenantText() {
            return catalog == null ? CatalogImageText.unchanged() : CatalogImageText.of(catalog, source.getUrl());
        }
    }

    /** The image, or why a volume of {@code namespace} may not have it ({@link #IMAGE_NOT_FOUND}, {@link #IMAGE_NOT_ALLOWED}). */
    public Resolution resolve(String namespace, ImageSource image, String field) {
        if (image.getCatalog() == null) {
            return new Resolution(Optional.of(new Resolved(image, namespace, null, image.getSha256())), Optional.empty());
        }
        String name = image.getCatalog();
        VirtualMachineImage found = images.getStore().getByKey(name);
        if (found == null || found.getSpec() == null) {
            return refused(new Problem(IMAGE_NOT_FOUND, field + ".catalog '" + name + "': no VirtualMachineImage of "
                    + "that name exists (kubectl get vfimg lists the catalogue); the volume goes on when it appears"));
        }
        VirtualMachineImageSpec spec = found.getSpec();
        if (!namespaces.selects(spec.getNamespaceSelector(), namespace)) {
            return refused(new Problem(IMAGE_NOT_ALLOWED, field + ".catalog '" + name + "': the image's "
                    + "namespaceSelector does not select namespace " + namespace + "; ask the platform team to add "
                    + "this namespace to VirtualMachineImage " + name));
        }
        ImageSource source = new ImageSource(spec.getUrl(), spec.getSha256());
        source.setFormat(spec.getFormat());
        source.setCredentialsSecret(spec.getCredentialsSecret());
        String known = spec.getSha256() != null ? spec.getSha256()
                : found.getStatus() == null ? null : found.getStatus().getSha256();
        return new Resolution(Optional.of(new Resolved(source, platformNamespace, name, known)), Optional.empty());
    }

    /**
     * Only a namespace the image does not select is refused here; a missing image is not a refusal: the volume waits
     * for it ({@link #IMAGE_NOT_FOUND}).
     */
    @Override
    public Optional<Problem> refusal(String namespace, ImageSource image, String field) {
        return resolve(namespace, image, field).problem().filter(p -> p.reason().equals(IMAGE_NOT_ALLOWED));
    }

    /** Either the resolved image or the problem. */
    public record Resolution(Optional<Resolved> image, Optional<Problem> problem) {
    }

    private static Resolution refused(Problem problem) {
        return new Resolution(Optional.empty(), Optional.of(problem));
    }

    /** @param listener gets the name of each catalogue image added, changed (spec) or deleted */
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    private void changed(VirtualMachineImage image) {
        listeners.forEach(l -> l.accept(image.getMetadata().getName()));
    }

    @Override
    public void close() {
        images.close();
    }
}
