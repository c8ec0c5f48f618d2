package io.virtfleet.stack;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.virtfleet.crds.v1alpha1.ConditionedStatus;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.crds.v1alpha1.TenantPolicy;
import io.virtfleet.crds.v1alpha1.TenantPolicySpec;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Conditions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** What every reconciler test class shares: one {@link ReconcilerStack} for the run, and waiting on a status. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedReconcilerStack.class)
abstract class ReconcilerApiTests {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    ReconcilerStack stack;
    KubernetesClient client;

    @BeforeAll
    void start(ReconcilerStack shared) {
        stack = shared;
        client = stack.client();
    }

    /** The object as the API holds it once its status satisfies {@code condition}. */
    <T extends CustomResource<?, ? extends ConditionedStatus>> T awaitStatus(T object, Predicate<T> condition) {
        return await().atMost(TIMEOUT).until(() -> client.resource(object).get(),
                o -> o != null && o.getStatus() != null && condition.test(o));
    }

    /** Creates a RootVolume in the test namespace. */
    RootVolume create(String name, RootVolumeSpec spec) {
        RootVolume volume = new RootVolume();
        volume.getMetadata().setName(name);
        volume.getMetadata().setNamespace(ReconcilerStack.NAMESPACE);
        volume.setSpec(spec);
        return client.resource(volume).create();
    }

    /** Creates a TenantPolicy for the test namespace alone, named {@code prefix} and a random suffix. */
    TenantPolicy allow(String prefix, Consumer<TenantPolicySpec> allow) {
        TenantPolicySpec spec = new TenantPolicySpec();
        spec.setNamespaceSelector(new LabelSelectorBuilder()
                .withMatchLabels(Map.of("kubernetes.io/metadata.name", ReconcilerStack.NAMESPACE)).build());
        allow.accept(spec);
        TenantPolicy policy = new TenantPolicy();
        policy.getMetadata().setName(prefix + UUID.randomUUID().toString().substring(0, 6));
        policy.setSpec(spec);
        return client.resource(policy).create();
    }

    /** The Ready condition; a blank one while there is none yet. */
    static Condition ready(CustomResource<?, ? extends ConditionedStatus> object) {
        return Conditions.find(object.getStatus(), ConditionType.Ready).orElseGet(Condition::new);
    }
}
