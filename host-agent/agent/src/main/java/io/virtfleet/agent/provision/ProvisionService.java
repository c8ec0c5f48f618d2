package io.virtfleet.agent.provision;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.cache.ImageUrl;
import io.virtfleet.agent.contract.ProvisionRequest;
import io.virtfleet.agent.contract.ProvisionStatus;
import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.agent.contract.VolumeRequest;
import io.virtfleet.agent.contract.VolumeStatus;
import io.virtfleet.agent.storage.VolumeService;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone provisioning call on top of the {@link VolumeService} the operator's volume PUT drives: same cache,
 * same inspection, same population, same size and in-use checks. What it adds:
 * <ul>
 *   <li>its own name space: the host volume is {@code vf-prov-<volume>} with no '.' (every operator volume is
 *       {@code <namespace>.<name>}) and no '_' (every volume the agent derives, data disks and snapshots), so the call
 *       can never reach a volume the operator manages;</li>
 *   <li>images only from the {@link ProvisionImagePrefixes}, also where a redirect leads;</li>
 *   <li>every call a new reprovision token: a repeat on a Ready volume fills it again from the image (refused while a
 *       running domain uses it), a smaller size is refused before anything changes;</li>
 *   <li>a synchronous answer within the {@link ProvisionSettings#waitCeiling()}; a repeat of the same request while
 *       its population still runs waits on that population instead of starting another.</li>
 * </ul>
 */
public final class ProvisionService {
    private static final Logger LOG = LoggerFactory.getLogger(ProvisionService.class);
    /** Prefix of every host volume this call creates: {@code vf-prov-} and a name matching {@link #NAME}. */
    public static final String VOLUME_PREFIX = "vf-prov-";
    private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");

    private final VolumeService volumes;
    private final ProvisionSettings settings;
    private final String defaultPool;
    /** The volume request of each population a call started and no call has seen finish yet, by host volume. */
    private final Map<String, VolumeRequest> unfinished = new HashMap<>();

    public ProvisionService(VolumeService volumes, ProvisionSettings settings, String defaultPool) {
        this.volumes = volumes;
        this.settings = settings;
        this.defaultPool = defaultPool;
    }

    /**
     * Whether {@code volumeName} is one this call can create ({@code vf-prov-} and a provisioning name): the volume
     * API refuses to create those. Names with a '.' (the operator's, e.g. {@code vf-prov-ci.root} of namespace
     * {@code vf-prov-ci}) or a '_' (derived by the agent) are never the call's and stay free.
     */
    public static boolean reserved(String volumeName) {
        return volumeName.startsWith(VOLUME_PREFIX)
                && NAME.matcher(volumeName.substring(VOLUME_PREFIX.length())).matches();
    }

    /** Starts or joins the population and waits for it, at most {@link ProvisionSettings#waitCeiling()}. */
    public ProvisionStatus provision(ProvisionRequest request) throws InterruptedException {
        if (request.volume() == null || !NAME.matcher(request.volume()).matches()) {
            throw AgentException.invalid("volume '" + request.volume() + "' is not a valid provisioning name: use 1-63"
                    + " characters of a-z, 0-9 and '-', starting with a letter or digit");
        }
        settings.imagePrefixes().check(ImageUrl.parse(request.imageUrl()));
        String hostVolume = VOLUME_PREFIX + request.volume();
        VolumeRequest wanted = new VolumeRequest(request.imageUrl(), request.sha256(), request.sizeBytes(),
                request.pool(), "provision-" + UUID.randomUUID(), null, request.format(), null);
        VolumeStatus status = awaitSettled(hostVolume, start(hostVolume, wanted));
        if (settled(status)) {
            synchronized (this) {
                unfinished.remove(hostVolume);
            }
        }
        LOG.info("provision volume={} pool={} image={} sizeBytes={} phase={}", hostVolume, poolOf(request),
                request.imageUrl(), request.sizeBytes(), status.phase());
        return answer(request, hostVolume, status);
    }

    /** Joins the unfinished population of the same image, size, pool and format; else asks for a new one. */
    private synchronized VolumeStatus start(String hostVolume, VolumeRequest wanted) {
        VolumeRequest running = unfinished.get(hostVolume);
        VolumeRequest request = running != null && sameTarget(running, wanted) ? running : wanted;
        VolumeStatus status = volumes.put(hostVolume, request, settings.imagePrefixes());
        unfinished.put(hostVolume, request);
        return status;
    }

    private VolumeStatus awaitSettled(String hostVolume, VolumeStatus started) throws InterruptedException {
        long deadline = System.nanoTime() + settings.waitCeiling().toNanos();
        VolumeStatus status = started;
        long left;
        while (!settled(status) && (left = deadline - System.nanoTime()) > 0) {
            status = volumes.awaitPhaseChange(hostVolume, status.phase(), Duration.ofNanos(left));
        }
        return status;
    }

    private ProvisionStatus answer(ProvisionRequest request, String hostVolume, VolumeStatus status) {
        // Once Ready the volume has exactly the size asked for: it was created or grown to it (shrinking is refused).
        return new ProvisionStatus(request.volume(), hostVolume, poolOf(request), status.phase(), status.devicePath(),
                request.sizeBytes(), status.imageSha256(), status.bytesDone(),
                status.bytesTotal(), status.error());
    }

    private String poolOf(ProvisionRequest request) {
        return request.pool() != null ? request.pool() : defaultPool;
    }

    private static boolean settled(VolumeStatus status) {
        return status.phase() == VolumePhase.Ready || status.phase() == VolumePhase.Failed;
    }

    private static boolean sameTarget(VolumeRequest a, VolumeRequest b) {
        return a.imageUrl().equals(b.imageUrl()) && Objects.equals(a.imageSha256(), b.imageSha256())
                && a.sizeBytes() == b.sizeBytes() && Objects.equals(a.pool(), b.pool())
                && Objects.equals(a.imageFormat(), b.imageFormat());
    }
}
