package io.virtfleet.agent.storage;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.DiskFull;
import io.virtfleet.agent.DurableFiles;
import io.virtfleet.agent.cache.CachedImage;
import io.virtfleet.agent.cache.ImageCache;
import io.virtfleet.agent.cache.ImageFetch;
import io.virtfleet.agent.cache.ImageFormat;
import io.virtfleet.agent.cache.ImageRequest;
import io.virtfleet.agent.contract.AgentError;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.agent.contract.VolumeProvisioning;
import io.virtfleet.agent.contract.VolumeRequest;
import io.virtfleet.agent.contract.VolumeStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One population of a volume: image into the cache, volume created (or grown), image converted into it, flushed,
 * marker written. Runs on a worker thread; its status is read concurrently by GET requests.
 */
final class VolumeJob implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeJob.class);

    /** The parts a population uses; {@code populating} is told when a population enters Populating. */
    record Tools(ImageCache cache, QemuImg qemuImg, StoragePools pools, VolumeMarkers markers,
                 java.util.function.Consumer<String> populating, OverlayVolumes overlays) {
    }

    private final String name;
    private final String pool;
    private final VolumeRequest request;
    /** The request's image, parsed once by the volume service. */
    private final ImageRequest wanted;
    private final Tools tools;
    private final AtomicLong populateDone = new AtomicLong();
    private final AtomicLong populateTotal = new AtomicLong();
    private final Object phaseMonitor = new Object();
    private volatile VolumePhase phase = VolumePhase.Pending;
    private volatile ImageFetch fetch;
    private volatile String devicePath;
    private volatile AgentError error;
    /** Written and read by the worker thread only. */
    private final StepTimes steps = new StepTimes();

    VolumeJob(String name, String pool, VolumeRequest request, ImageRequest image, Tools tools) {
        this.name = name;
        this.pool = pool;
        this.request = request;
        this.wanted = image;
        this.tools = tools;
    }

    VolumeRequest request() {
        return request;
    }

    boolean finished() {
        VolumePhase current = phase;
        return current == VolumePhase.Ready || current == VolumePhase.Failed;
    }

    @Override
    public void run() {
        long started = System.nanoTime();
        try {
            populate();
            setPhase(VolumePhase.Ready);
            LOG.info("volume={} pool={} phase=Ready millis={} stepMillis=[{}]", name, pool,
                    (System.nanoTime() - started) / 1_000_000, steps);
        } catch (AgentException e) {
            fail(e.toError(), e);
        } catch (RuntimeException e) {
            fail(new AgentError(AgentErrorReasons.POPULATE_FAILED, "population failed: " + e), e);
        }
    }

    VolumeStatus status() {
        ImageFetch currentFetch = fetch;
        String sha256 = currentFetch == null ? wanted.sha256() : currentFetch.sha256();
        long done = populateDone.get();
        long total = populateTotal.get();
        if (phase == VolumePhase.Downloading && currentFetch != null) {
            done = currentFetch.bytesDone();
            total = currentFetch.bytesTotal();
        }
        // While downloading, the trouble the download retries through (the object store does not answer) is shown.
        AgentError shown = error == null && currentFetch != null ? currentFetch.trouble() : error;
        return new VolumeStatus(name, phase, devicePath, sha256, done, total,
                phase == VolumePhase.Ready ? request.reprovisionToken() : null, shown,
                currentFetch == null ? null : currentFetch.verified());
    }

    private void populate() {
        enter(VolumePhase.Downloading);
        // The open fetch pins the image in the cache until the population is over.
        try (ImageFetch pinned = tools.cache().fetch(wanted)) {
            fetch = pinned;
            CachedImage image = await(pinned);
            steps.mark("fetch");
            populateFrom(image);
        }
    }

    private void populateFrom(CachedImage image) {
        // Inspected again right before qemu-img opens it: entries cached before the inspector existed are covered.
        ImageFormat format = tools.cache().inspectForUse(image, request.imageFormat());
        long virtualSize = format.virtualSizeBytes();
        steps.mark("inspect");
        if (request.sizeBytes() < virtualSize) {
            throw AgentException.conflict(AgentErrorReasons.VOLUME_TOO_SMALL, "volume " + name + " of "
                    + request.sizeBytes() + " bytes cannot hold image " + wanted.url() + " of virtual size "
                    + virtualSize + " bytes");
        }
        if (request.provisioningOrDefault() == VolumeProvisioning.Overlay) {
            overlayOn(image, format);
            return;
        }
        tools.overlays().removeFormerOverlay(pool, name);
        PreparedVolume volume = tools.pools().createOrGrow(pool, name, request.sizeBytes());
        devicePath = volume.volume().path();
        steps.mark("create");
        populateTotal.set(virtualSize);
        enter(VolumePhase.Populating);
        tools.populating().accept(name);
        Path target = Path.of(devicePath);
        tools.qemuImg().convertToRaw(image.path(), format, volume,
                percent -> populateDone.set((long) (virtualSize * percent / 100)));
        steps.mark("convert");
        try {
            DurableFiles.force(target); // Ready means the data is on disk, whatever cache mode qemu-img used
        } catch (IOException e) {
            if (DiskFull.causedBy(e)) {
                throw QemuImg.poolFull(pool, target.toString(), e);
            }
            throw new AgentException(AgentException.Kind.INTERNAL, AgentErrorReasons.POPULATE_FAILED,
                    "cannot flush " + target + ": " + e.getMessage(), e);
        }
        steps.mark("flush");
        populateDone.set(virtualSize);
        tools.markers().write(new VolumeMarker(name, pool, request.imageUrl(), image.sha256(),
                request.reprovisionToken(), request.sizeBytes(), Instant.now().toString(), fetch.verified()));
        steps.mark("marker");
    }

    /** A copy-on-write population: an empty qcow2 layer over the cache entry, no data copied. */
    private void overlayOn(CachedImage image, ImageFormat format) {
        populateTotal.set(format.virtualSizeBytes());
        enter(VolumePhase.Populating);
        tools.populating().accept(name);
        devicePath = tools.overlays().create(pool, name, request.sizeBytes(), image, format).path();
        steps.mark("overlay");
        populateDone.set(format.virtualSizeBytes());
        tools.markers().write(new VolumeMarker(name, pool, request.imageUrl(), image.sha256(),
                request.reprovisionToken(), request.sizeBytes(), Instant.now().toString(), fetch.verified(),
                VolumeProvisioning.Overlay, format.name()));
        steps.mark("marker");
    }

    private void enter(VolumePhase next) {
        setPhase(next);
        LOG.info("volume={} pool={} phase={}", name, pool, next);
    }

    private void fail(AgentError failure, Exception e) {
        error = failure;
        setPhase(VolumePhase.Failed);
        LOG.warn("volume={} pool={} phase=Failed reason={} message={}", name, pool, failure.reason(), failure.message(),
                e instanceof AgentException ? null : e);
    }

    /** Every phase change goes through here, so that long-polling readers wake up at once. */
    private void setPhase(VolumePhase next) {
        synchronized (phaseMonitor) {
            phase = next;
            phaseMonitor.notifyAll();
        }
    }

    /** Returns when the phase is no longer {@code seen}, or when {@code timeout} has passed. */
    void awaitPhaseOtherThan(VolumePhase seen, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (phaseMonitor) {
            long left;
            while (phase == seen && (left = deadline - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(phaseMonitor, left);
            }
        }
    }

    private static CachedImage await(ImageFetch fetch) {
        try {
            return fetch.result().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
