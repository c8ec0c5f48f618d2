package io.virtfleet.stack;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatusBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfoBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * <b>A stand-in, not authorization.</b> The mock Kubernetes API has no authenticators and no authorizers, so this
 * answers {@code TokenReview}s and {@code SubjectAccessReview}s from two tables the stack or a test fills in: which
 * token is which user, and which user may open which subresource of VirtualMachines in which namespace. It shows that
 * the console gateway asks and obeys; whether a real cluster's RBAC answers the same is proven by the chart's rendered
 * roles (helm module tests), never here. Every review request body is kept, so tests can assert what was asked.
 */
public final class StandInReviews {
    private final Map<String, Identity> tokens = new ConcurrentHashMap<>();
    private final Set<Grant> grants = ConcurrentHashMap.newKeySet();
    private final List<String> accessReviewBodies = new CopyOnWriteArrayList<>();

    /** A user a token stands for. */
    public record Identity(String user, List<String> groups) {
    }

    /** May {@code user} open {@code subresource} (console, vnc) of VirtualMachines in {@code namespace}. */
    public record Grant(String user, String namespace, String subresource) {
    }

    StandInReviews(KubernetesMockServer server) {
        server.expect().post().withPath("/apis/authentication.k8s.io/v1/tokenreviews")
                .andReply(201, request -> review(Serialization.unmarshal(request.getBody().readUtf8(), TokenReview.class)))
                .always();
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/subjectaccessreviews")
                .andReply(201, request -> {
                    String body = request.getBody().readUtf8();
                    accessReviewBodies.add(body);
                    return review(Serialization.unmarshal(body, SubjectAccessReview.class));
                })
                .always();
    }

    public StandInReviews token(String token, String user, List<String> groups) {
        tokens.put(token, new Identity(user, groups));
        return this;
    }

    public StandInReviews allow(String user, String namespace, String subresource) {
        grants.add(new Grant(user, namespace, subresource));
        return this;
    }

    /** The SubjectAccessReview bodies received, in order, as sent. */
    public List<String> accessReviewBodies() {
        return List.copyOf(accessReviewBodies);
    }

    private TokenReview review(TokenReview review) {
        Identity identity = tokens.get(review.getSpec().getToken());
        review.setStatus(identity == null
                ? new TokenReviewStatusBuilder().withAuthenticated(false).withError("unknown token").build()
                : new TokenReviewStatusBuilder().withAuthenticated(true).withUser(new UserInfoBuilder()
                .withUsername(identity.user()).withGroups(identity.groups()).build()).build());
        return review;
    }

    private SubjectAccessReview review(SubjectAccessReview review) {
        ResourceAttributes asked = review.getSpec().getResourceAttributes();
        boolean allowed = asked != null && "subresources.virtfleet.io".equals(asked.getGroup())
                && "virtualmachines".equals(asked.getResource()) && "get".equals(asked.getVerb())
                && grants.contains(new Grant(review.getSpec().getUser(), asked.getNamespace(), asked.getSubresource()));
        review.setStatus(new SubjectAccessReviewStatusBuilder().withAllowed(allowed)
                .withReason(allowed ? "granted by the local stack's stand-in table" : "not in the local stack's stand-in table")
                .build());
        return review;
    }
}
