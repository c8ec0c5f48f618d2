package io.virtfleet.agent.storage;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.HostAllowLists;
import io.virtfleet.agent.cache.ImageCache;
import io.virtfleet.agent.cache.ImageRequest;
import io.virtfleet.agent.cache.RedirectRule;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.agent.contract.VolumeProvisioning;
import io.virtfleet.agent.contract.VolumeRequest;
import io.virtfleet.agent.contract.VolumeStatus;
import io.virtfleet.agent.libvirt.LibvirtConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The declarative volume API: PUT the desired volume, GET what is there, DELETE it. Populations run asynchronously
 * on a fixed number of worker threads. What survives a restart is libvirt's volume plus the marker written after a
 * complete population; a volume without a marker is not Ready, and the next PUT populates it again.
 */
public final class VolumeService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeService.class);
    private static final Duration OVERLAY_ANSWER_WAIT = Duration.ofSeconds(1);

    private final StoragePools pools;
    private final VolumeMarkers markers;
    private final VolumeUsers users;
    private final OwnerRecords owners;
    private final VolumeLocks locks = new VolumeLocks();
    private final HostAllowLists allowed;
    private final String defaultPool;
    private final VolumeJob.Tools tools;
    private final OverlayVolumes overlays;
    private final QemuImg qemuImg = new QemuImg();
    private final ExecutorService workers;
    private final VolumeSnapshots snapshots;
    /** Running and failed populations by volume name; a successful one leaves, its marker speaks for it. */
    private final Map<String, VolumeJob> jobs = new HashMap<>();

    /** @param hypervisor the connection the domains that may use these volumes are defined on */
    public VolumeService(LibvirtConnection hypervisor, StoragePools pools, ImageCache cache, Path stateDir,
                         String defaultPool, int workerThreads, HostAllowLists allowed) {
        this(hypervisor, pools, cache, stateDir, defaultPool, workerThreads, allowed, name -> { });
    }

    /** @param populating called on the worker thread when a population enters Populating (tests hold it there) */
    VolumeService(LibvirtConnection hypervisor, StoragePools pools, ImageCache cache, Path stateDir,
                  String defaultPool, int workerThreads, HostAllowLists allowed, Consumer<String> populating) {
        this.pools = pools;
        this.markers = new VolumeMarkers(stateDir);
        this.users = new VolumeUsers(hypervisor);
        this.owners = new OwnerRecords(stateDir, "volume");
        this.allowed = allowed;
        this.defaultPool = defaultPool;
        this.overlays = new OverlayVolumes(pools, cache);
        this.tools = new VolumeJob.Tools(cache, qemuImg, pools, markers, populating, overlays);
        this.snapshots = new VolumeSnapshots(stateDir, pools, markers, users, owners, locks,
                new SnapshotStorage(pools, qemuImg, SnapshotStorage::runOnHost), this::populating,
                name -> locate(name, markers.read(name)).isPresent());
        this.workers = Executors.newFixedThreadPool(workerThreads, Thread.ofPlatform().name("volume-worker-", 0).factory());
    }

    /**
     * Starts populating the volume, joins a running population of the same request, or confirms a Ready volume. A
     * Failed population is retried. On a Ready volume: a bigger size grows it, a smaller one is refused (volumes never
     * shrink), a different reprovision token populates it again from the image (refused while a running domain uses
     * it); another image or pool without a new token is refused. A pool the platform does not allow, or a volume
     * that belongs to another owner, is refused before anything happens.
     */
    public VolumeStatus put(String name, VolumeRequest request) {
        return put(name, request, RedirectRule.SOURCE_POLICY_ONLY);
    }

    /** {@link #put(String, VolumeRequest)} with the image's redirects held to {@code redirects}. */
    public VolumeStatus put(String name, VolumeRequest request, RedirectRule redirects) {
        ImageRequest image = validate(name, request).withRedirects(redirects);
        String pool = request.pool() != null ? request.pool() : defaultPool;
        if (!allowed.poolAllowed(pool, defaultPool)) {
            throw AgentException.conflict(AgentErrorReasons.POOL_NOT_ALLOWED, "storage pool " + pool
                    + " is not allowed on this host; allowed: " + defaultPool + " (default) and " + allowed.pools());
        }
        VolumeStatus status = locks.with(name, () -> putLocked(name, pool, request, image));
        return request.provisioningOrDefault() == VolumeProvisioning.Overlay ? settledSoon(name, status) : status;
    }

    /**
     * An overlay over a cached image is Ready a few tens of milliseconds after it was queued: the PUT answers with
     * that (200 Ready) instead of 202, which saves the caller a poll. Bounded: an image still being downloaded answers
     * 202 after {@link #OVERLAY_ANSWER_WAIT}.
     */
    private VolumeStatus settledSoon(String name, VolumeStatus status) {
        long deadline = System.nanoTime() + OVERLAY_ANSWER_WAIT.toNanos();
        VolumeStatus current = status;
        try {
            while (current.phase() != VolumePhase.Ready && current.phase() != VolumePhase.Failed
                    && System.nanoTime() < deadline) {
                current = awaitPhaseChange(name, current.phase(), Duration.ofNanos(deadline - System.nanoTime()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return current;
    }

    private synchronized VolumeStatus putLocked(String name, String pool, VolumeRequest request,
                                             ImageRequest image) {
        pools.requireActivePool(pool);
        if (request.provisioningOrDefault() == VolumeProvisioning.Overlay) {
            overlays.requireSupported(pool);
        }
        VolumeJob job = jobs.get(name);
        if (request.ownerUid() != null) {
            // Another owner's volume (e.g. Retained by a deleted object whose name came back) is never adopted.
            boolean exists = (job != null && !job.finished()) || locate(name, markers.read(name)).isPresent();
            owners.claim(name, request.ownerUid(), exists);
        }
        if (job != null && !job.finished()) {
            if (!job.request().equals(request)) {
                throw AgentException.conflict(AgentErrorReasons.INVALID_REQUEST, "volume " + name
                        + " is being populated from another request; wait until it is Ready or Failed");
            }
            return job.status();
        }
        Optional<VolumeMarker> marker = markers.read(name);
        Optional<VolumeInfo> volume = marker.flatMap(m -> pools.findVolume(m.pool(), name));
        if (marker.isPresent() && volume.isPresent()) {
            Optional<VolumeStatus> ready = reconcileReady(marker.get(), volume.get(), request, image, pool);
            if (ready.isPresent()) {
                jobs.remove(name);
                return ready.get();
            }
        } else if (marker.isPresent()) { // the volume went away behind our back: the marker vouches for nothing now
            LOG.warn("volume={} marker without a libvirt volume, populating again", name);
            markers.delete(name);
        }
        return startPopulation(name, pool, request, image);
    }

    /**
     * The Ready status when the Ready volume already matches the request (after growing it if asked), or empty when
     * it must be populated again (its marker is gone by then). Refuses what cannot be done to a Ready volume.
     */
    private Optional<VolumeStatus> reconcileReady(VolumeMarker marker, VolumeInfo volume, VolumeRequest request,
                                                  ImageRequest image, String pool) {
        String name = marker.name();
        if (!marker.pool().equals(pool)) {
            throw AgentException.conflict(AgentErrorReasons.INVALID_REQUEST, "volume " + name + " is in pool "
                    + marker.pool() + "; a volume cannot move to pool " + pool + " (delete it and create it there)");
        }
        if (request.sizeBytes() < volume.capacityBytes()) {
            throw AgentException.conflict(AgentErrorReasons.SHRINK_REFUSED, "volume " + name + " has "
                    + volume.capacityBytes() + " bytes and cannot shrink to " + request.sizeBytes()
                    + " bytes; volumes only grow");
        }
        if (!Objects.equals(marker.reprovisionToken(), request.reprovisionToken())) {
            List<String> running = users.runningDomainsUsing(volume);
            if (!running.isEmpty()) {
                throw AgentException.conflict(AgentErrorReasons.VOLUME_IN_USE, "volume " + name
                        + " cannot be reprovisioned while running domain(s) " + String.join(", ", running)
                        + " use it; stop them first");
            }
            markers.delete(name); // from here on the volume is not Ready, whatever happens to this agent
            LOG.info("volume={} pool={} reprovisioning token={}", name, pool, request.reprovisionToken());
            return Optional.empty();
        }
        if (!sameImage(marker, image)) {
            throw AgentException.conflict(AgentErrorReasons.INVALID_REQUEST, "volume " + name + " holds image sha256 "
                    + marker.imageSha256() + "; to populate it with another image, change reprovisionToken too");
        }
        if (marker.provisioningOrDefault() != request.provisioningOrDefault()) {
            throw AgentException.conflict(AgentErrorReasons.INVALID_REQUEST, "volume " + name + " is provisioned as "
                    + marker.provisioningOrDefault() + "; to make it " + request.provisioningOrDefault()
                    + ", change reprovisionToken too (the volume is created again)");
        }
        VolumeInfo current = volume;
        if (request.sizeBytes() > volume.capacityBytes()) {
            current = pools.grow(marker.pool(), name, request.sizeBytes());
        }
        if (marker.sizeBytes() != request.sizeBytes()) {
            markers.write(marker.withSize(request.sizeBytes()));
        }
        return Optional.of(readyStatus(marker, current));
    }

    private VolumeStatus startPopulation(String name, String pool, VolumeRequest request, ImageRequest image) {
        VolumeJob started = new VolumeJob(name, pool, request, image, tools);
        jobs.put(name, started);
        workers.execute(() -> {
            started.run();
            forgetIfReady(name, started);
        });
        LOG.info("volume={} pool={} population queued image={} sizeBytes={}", name, pool, image.url(),
                request.sizeBytes());
        return started.status();
    }

    /** Snapshots, restores and clones of this service's volumes. */
    public VolumeSnapshots snapshots() {
        return snapshots;
    }

    private synchronized boolean populating(String name) {
        VolumeJob job = jobs.get(name);
        return job != null && !job.finished();
    }

    public synchronized VolumeStatus get(String name) {
        VolumeJob job = jobs.get(name);
        if (job != null) {
            return job.status();
        }
        Optional<VolumeMarker> marker = markers.read(name);
        VolumeInfo volume = locate(name, marker).orElseThrow(() -> notFound(name));
        return marker.map(m -> readyStatus(m, volume))
                .orElseGet(() -> new VolumeStatus(name, VolumePhase.Pending, volume.path(), null, 0, 0, null, null));
    }

    /**
     * A long poll: returns the volume's status as soon as its phase is no longer {@code seen} (or at once when it is
     * not), at the latest after {@code timeout}. Waits outside the service's lock.
     */
    public VolumeStatus awaitPhaseChange(String name, VolumePhase seen, Duration timeout) throws InterruptedException {
        VolumeJob job;
        synchronized (this) {
            job = jobs.get(name);
        }
        if (job != null) {
            job.awaitPhaseOtherThan(seen, timeout);
        }
        return get(name);
    }

    /**
     * Runs {@code action} (a domain start) with the Ready volume while no population or deletion of it can begin;
     * 409 VolumeNotReady when it is not Ready (being populated included).
     */
    public <T> T withReadyVolume(String name, Function<VolumeInfo, T> action) {
        return locks.with(name, () -> action.apply(requireReady(name)));
    }

    /** The Ready volume a domain may boot from, or 409 VolumeNotReady. */
    public synchronized VolumeInfo requireReady(String name) {
        VolumeJob job = jobs.get(name);
        if (job != null && !job.finished()) {
            throw AgentException.conflict(AgentErrorReasons.VOLUME_NOT_READY, "volume " + name + " is not Ready ("
                    + job.status().phase() + ")");
        }
        Optional<VolumeMarker> marker = markers.read(name);
        VolumeInfo volume = marker.flatMap(m -> pools.findVolume(m.pool(), name)).orElseThrow(() -> AgentException.conflict(
                AgentErrorReasons.VOLUME_NOT_READY, "volume " + name + " is not Ready"
                        + (jobs.containsKey(name) ? " (" + jobs.get(name).status().phase() + ")" : "")));
        return marker.get().provisioningOrDefault() == VolumeProvisioning.Overlay
                ? overlays.withBacking(volume, marker.get()) : volume;
    }

    /** {@link #delete(String, String)} without an owner check. */
    public void delete(String name) {
        delete(name, null);
    }

    /**
     * Deletes the volume and its marker; absent is fine. Refused while populating, while a defined domain uses it, and
     * when {@code ownerUid} is given and the volume belongs to another owner.
     */
    public void delete(String name, String ownerUid) {
        locks.with(name, () -> {
            deleteLocked(name, ownerUid);
            return null;
        });
    }

    private synchronized void deleteLocked(String name, String ownerUid) {
        VolumeJob job = jobs.get(name);
        if (job != null && !job.finished()) {
            throw AgentException.conflict(AgentErrorReasons.VOLUME_IN_USE,
                    "volume " + name + " is being populated; delete it once it is Ready or Failed");
        }
        Optional<VolumeMarker> marker = markers.read(name);
        Optional<VolumeInfo> volume = locate(name, marker);
        if (volume.isPresent() || job != null) {
            owners.checkDelete(name, ownerUid);
        }
        if (volume.isPresent()) {
            List<String> domains = users.domainsUsing(volume.get());
            if (!domains.isEmpty()) {
                throw AgentException.conflict(AgentErrorReasons.VOLUME_IN_USE,
                        "volume " + name + " is used by domain(s) " + String.join(", ", domains));
            }
            pools.deleteVolume(volume.get().pool(), name);
        }
        overlays.released(name); // after the volume: an overlay never outlives its backing file's pin
        markers.delete(name);
        jobs.remove(name);
        owners.forget(name);
        LOG.info("volume={} deleted existed={}", name, volume.isPresent());
    }

    @Override
    public void close() {
        workers.shutdownNow();
        qemuImg.close();
    }

    private synchronized void forgetIfReady(String name, VolumeJob job) {
        if (job.status().phase() == VolumePhase.Ready) {
            jobs.remove(name, job);
        }
    }

    /** Where the volume is: the marker's pool, else the default pool, else any active pool. */
    private Optional<VolumeInfo> locate(String name, Optional<VolumeMarker> marker) {
        Set<String> candidates = new LinkedHashSet<>();
        marker.ifPresent(m -> candidates.add(m.pool()));
        candidates.add(defaultPool);
        if (marker.isEmpty()) {
            candidates.addAll(pools.activePools());
        }
        return candidates.stream().map(pool -> pools.findVolume(pool, name)).flatMap(Optional::stream).findFirst();
    }

    private static boolean sameImage(VolumeMarker marker, ImageRequest image) {
        return image.sha256() != null
                ? image.sha256().equals(marker.imageSha256())
                : image.url().text().equals(marker.imageUrl());
    }

    static VolumeStatus readyStatus(VolumeMarker marker, VolumeInfo volume) {
        return new VolumeStatus(marker.name(), VolumePhase.Ready, volume.path(), marker.imageSha256(),
                volume.capacityBytes(), volume.capacityBytes(), marker.reprovisionToken(), null, marker.imageVerified());
    }

    private static AgentException notFound(String name) {
        return AgentException.notFound(AgentErrorReasons.VOLUME_NOT_FOUND, "volume " + name + " does not exist");
    }

    /** Checks the request and parses its image once: the population and the cache use the parsed values. */
    private static ImageRequest validate(String name, VolumeRequest request) {
        if (request == null) {
            throw AgentException.invalid("a volume request body is required");
        }
        ImageRequest image = ImageRequest.parse(request.imageUrl(), request.imageSha256(), request.credentials(),
                ImageRequest.tenantOf(name));
        if (request.sizeBytes() <= 0) {
            throw AgentException.invalid("sizeBytes must be positive, got " + request.sizeBytes());
        }
        return image;
    }
}
