package io.virtfleet.operator.console;

import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Asks the API server whether an identity may open a console: a {@code SubjectAccessReview} for verb {@code get} on
 * {@code virtualmachines/console} (or {@code /vnc}) in group {@value ConsoleAccess#GROUP}, the VM's namespace and
 * name. The cluster's own authorizers (RBAC, webhooks) decide; the gateway only obeys.
 */
final class AccessReview {
    private final KubernetesClient client;

    AccessReview(KubernetesClient client) {
        this.client = client;
    }

    void require(Identity identity, String namespace, String name, ConsoleKind kind) {
        SubjectAccessReview answer = client.authorization().v1().subjectAccessReview()
                .create(request(identity, namespace, name, kind));
        if (answer == null || answer.getStatus() == null || !Boolean.TRUE.equals(answer.getStatus().getAllowed())) {
            String reason = answer == null || answer.getStatus() == null ? null : answer.getStatus().getReason();
            throw GatewayException.forbidden("user " + identity.user() + " may not get " + ConsoleAccess.RESOURCE + "/"
                    + kind.subresource() + " of " + namespace + "/" + name + " in group " + ConsoleAccess.GROUP
                    + (reason == null || reason.isBlank() ? "" : ": " + reason));
        }
    }

    static SubjectAccessReview request(Identity identity, String namespace, String name, ConsoleKind kind) {
        return new SubjectAccessReviewBuilder()
                .withNewSpec()
                .withUser(identity.user())
                .withUid(identity.uid())
                .withGroups(identity.groups())
                .withExtra(identity.extra())
                .withNewResourceAttributes()
                .withGroup(ConsoleAccess.GROUP)
                .withVersion(ConsoleAccess.VERSION)
                .withResource(ConsoleAccess.RESOURCE)
                .withSubresource(kind.subresource())
                .withVerb("get")
                .withNamespace(namespace)
                .withName(name)
                .endResourceAttributes()
                .endSpec()
                .build();
    }
}
