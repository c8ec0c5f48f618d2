package io.virtfleet.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.virtfleet.operator.agent.AgentDirectory;
import io.virtfleet.operator.health.AgentHealth;
import io.virtfleet.operator.policy.TenantGate;
import io.virtfleet.operator.policy.TenantPolicies;
import io.virtfleet.operator.scheduling.NodeScheduler;
import io.virtfleet.operator.spec.SecretValues;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.EventRecorder;

import java.time.Clock;

/** What both reconcilers work with; built once by {@link VirtFleetOperator}. */
public record Collaborators(KubernetesClient client, AgentDirectory agents, AgentHealth health,
                            NodeScheduler scheduler, Conditions conditions, EventRecorder events, SecretValues secrets,
                            OperatorSettings settings, Clock clock, TenantPolicies policies, TenantGate gate) {
}
