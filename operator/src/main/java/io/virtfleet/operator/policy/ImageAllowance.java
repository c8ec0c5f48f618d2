package io.virtfleet.operator.policy;

import io.virtfleet.crds.v1alpha1.ImageSource;
import io.virtfleet.operator.spec.Problem;

import java.util.Optional;

/**
 * Whether a namespace may use an image that is not a URL (a catalogue image): the catalogue's own answer, asked by the
 * {@link TenantGate} so that a VM is refused before it is placed, not only its root volume afterwards.
 */
@FunctionalInterface
public interface ImageAllowance {
    /** Allows everything; for gates without a catalogue. */
    ImageAllowance NONE = (namespace, image, field) -> Optional.empty();

    /** @param field where the image sits, e.g. {@code spec.rootVolume.template.image} */
    Optional<Problem> refusal(String namespace, ImageSource image, String field);
}
