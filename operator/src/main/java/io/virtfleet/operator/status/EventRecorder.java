package io.virtfleet.operator.status;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Emits core/v1 Events so {@code kubectl describe} explains every step and every failure. An Event that repeats
 * (same object, type, reason and message) is one object whose {@code count} and {@code lastTimestamp} grow, as
 * client-go's event correlator does, rather than a new object per occurrence: its name is derived from what makes it
 * the same ({@code <object>.<16 hex of SHA-256>}), so the series continues after an operator restart too (the create
 * answers 409 and the existing Event is counted up).
 */
public final class EventRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private static final String COMPONENT = "virtfleet-operator";
    /** Series remembered in memory (count per Event name); beyond this the oldest is read back from the API. */
    private static final int REMEMBERED_SERIES = 4096;

    private final KubernetesClient client;
    private final Clock clock;
    private final Map<String, Integer> counts = Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                    return size() > REMEMBERED_SERIES;
                }
            });

    public EventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public void normal(HasMetadata object, String reason, String message) {
        record(object, "Normal", reason, message);
    }

    public void warning(HasMetadata object, String reason, String message) {
        record(object, "Warning", reason, message);
    }

    private void record(HasMetadata object, String type, String reason, String message) {
        String namespace = object.getMetadata().getNamespace();
        String name = seriesName(object, type, reason, message);
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        try {
            Integer count = counts.get(namespace + "/" + name);
            if (count != null && countUp(namespace, name, count + 1, now)) {
                return;
            }
            try {
                client.v1().events().inNamespace(namespace).resource(newEvent(object, name, type, reason, message,
                        now)).create();
                counts.put(namespace + "/" + name, 1);
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                // Recorded before this process remembered it (an operator restart): continue its series.
                Event existing = client.v1().events().inNamespace(namespace).withName(name).get();
                int before = existing == null || existing.getCount() == null ? 1 : existing.getCount();
                countUp(namespace, name, before + 1, now);
            }
        } catch (KubernetesClientException e) {
            // An Event is an explanation, not state: failing to write one must not fail the reconcile.
            LOG.atWarn().addKeyValue("kind", object.getKind()).addKeyValue("reason", reason)
                    .log("event not recorded: {}", e.getMessage());
        }
    }

    /** @return false when the Event is gone (expired by the API server's event TTL): a new series starts */
    private boolean countUp(String namespace, String name, int count, String now) {
        try {
            client.v1().events().inNamespace(namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"count\":" + count + ",\"lastTimestamp\":\"" + now + "\"}");
            counts.put(namespace + "/" + name, count);
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                counts.remove(namespace + "/" + name);
                return false;
            }
            throw e;
        }
    }

    private static Event newEvent(HasMetadata object, String name, String type, String reason, String message,
                                  String now) {
        return new EventBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(object.getMetadata().getNamespace())
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(object.getApiVersion())
                        .withKind(object.getKind())
                        .withName(object.getMetadata().getName())
                        .withNamespace(object.getMetadata().getNamespace())
                        .withUid(object.getMetadata().getUid())
                        .withResourceVersion(object.getMetadata().getResourceVersion())
                        .build())
                .withType(type)
                .withReason(reason)
                .withMessage(message)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .build();
    }

    /** The same object (by UID), type, reason and message give the same name; anything else another. */
    static String seriesName(HasMetadata object, String type, String reason, String message) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[]{object.getKind(), object.getMetadata().getUid(), type, reason, message}) {
                sha.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return object.getMetadata().getName() + "." + HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
