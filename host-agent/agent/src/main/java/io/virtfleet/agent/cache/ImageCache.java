package io.virtfleet.agent.cache;

import io.micrometer.core.instrument.MeterRegistry;
import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.S3Settings;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.CacheEntry;
import io.virtfleet.agent.contract.CacheListing;
import io.virtfleet.agent.contract.PrefetchStatus;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's image cache, content-addressed by SHA-256 ({@code <cacheDir>/sha256/<hex>}, the image as downloaded,
 * e.g. compressed qcow2). See {@link CacheStore} for the files and their recovery after a crash, {@link Downloader} for
 * how bytes move.
 *
 * <ul>
 *   <li><b>Trust.</b> An image is verified against {@code imageSha256} or its {@code .sha256} file while it streams;
 *   only a complete, fsynced file whose digest matched is renamed into place, so a partial or corrupt file never
 *   becomes an entry. An image without any checksum is cached under the digest computed on the way and found again by
 *   URL + ETag/Last-Modified; its fetches say {@link ImageFetch#verified() unverified}. An entry is trusted by its
 *   content address, or re-hashed before every use when {@link CacheSettings#verifyOnUse()} is set.</li>
 *   <li><b>Single flight.</b> Requests for one digest from one URL with the same credentials (or for one URL version)
 *   share one download; at most
 *   {@link CacheSettings#maxDownloads()} run at once, the rest wait in line.</li>
 *   <li><b>Eviction.</b> Least recently used entries go when the entries exceed the byte budget, and room is made
 *   before a download; an entry that an open {@link ImageFetch} holds or that a download is writing or verifying is
 *   never evicted. All index changes happen under one lock, so "in use" cannot change while eviction decides
 *   ({@link CacheIndex} states the invariants).</li>
 * </ul>
 *
 * <p><b>Readers.</b> Knowing a digest is not enough to get an image: a hit needs the request's URL among the URLs the
 * entry's bytes were verified from, and the requesting tenant among those that proved they can read it (a stat of its
 * URL with its own credentials, done once per tenant). Other requests download from their own URL and verify.
 *
 * <p>The parts: this class checks requests and resolves the expected digest ({@link ImageRequest}, {@link Sources});
 * {@link CacheIndex} holds entries, pins and downloads in flight under one lock and evicts; {@link CacheFiller} runs
 * downloads on the download threads ({@link Downloader} moves the bytes); {@link Readers} decides cross-tenant hits;
 * {@link CacheStore} owns the files.
 */
public final class ImageCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ImageCache.class);

    private final CacheSettings settings;
    private final SourcePolicy policy;
    private final Sources sources;
    private final ExecutorService downloads;
    private final ExecutorService streamThreads;
    private final CacheIndex index;
    private final CachePins pins;
    private final CachePins catalogPins;
    private final CacheFiller filler;
    private final Prefetches prefetches = new Prefetches(this::fetchAllowed);

    /**
     * Opens the cache in {@code cacheDir}, recovering from whatever a previous run left.
     *
     * @param s3 the object store for {@code s3://} URLs; empty when the node has none
     */
    public ImageCache(Path cacheDir, CacheSettings settings, Optional<S3Settings> s3, MeterRegistry registry) {
        this(cacheDir, settings, s3, registry, InetAddress::getAllByName);
    }

    /** @param resolver how image host names are resolved (a seam for tests of DNS answers that change) */
    public ImageCache(Path cacheDir, CacheSettings settings, Optional<S3Settings> s3, MeterRegistry registry,
                      SourcePolicy.Resolver resolver) {
        this.settings = settings;
        CacheStore store = new CacheStore(cacheDir);
        CacheMetrics metrics = new CacheMetrics(registry, settings.budgetBytes());
        this.pins = new CachePins(cacheDir);
        this.catalogPins = new CachePins(cacheDir, "catalog-pins");
        this.index = new CacheIndex(store, List.of(pins, catalogPins), settings.budgetBytes(), metrics);
        this.policy = new SourcePolicy(settings.httpHosts(), settings.allowedNetworks(), resolver);
        this.sources = new Sources(settings, s3, new HttpTransport(policy, settings.connectTimeout(),
                settings.readTimeout()));
        this.downloads = Executors.newFixedThreadPool(settings.maxDownloads(),
                Thread.ofPlatform().name("image-download-", 0).daemon().factory());
        this.streamThreads = Executors.newCachedThreadPool(Thread.ofPlatform().name("image-stream-", 0).daemon().factory());
        Downloader downloader = new Downloader(streamThreads, settings.retry(), settings.streams(), settings.partBytes());
        this.filler = new CacheFiller(index, sources, downloader, metrics, settings.limits());
        LOG.info("image cache opened dir={} entries={} usedBytes={} budgetBytes={} downloads={} streams={} verify={}",
                cacheDir, index.entryCount(), index.usedBytes(), settings.budgetBytes(), settings.maxDownloads(),
                settings.streams(), settings.verifyOnUse() ? "always" : "trust");
        index.trimToBudget();
    }

    /**
     * Starts (or joins) getting the image into the cache and pins it until the returned fetch is closed. Resolves the
     * expected digest first (the request's, else {@code <url>.sha256}; the source's version when neither exists), so
     * bad URLs and unreachable sources fail right here, in the caller's thread.
     */
    public ImageFetch fetch(ImageRequest request) {
        policy.checkUrl(request.url());
        return fetchAllowed(request);
    }

    private ImageFetch fetchAllowed(ImageRequest request) {
        ImageUrl url = request.url();
        ImageSource source = sources.source(url, request.credentials(), request.redirects());
        String expected = request.sha256();
        if (expected == null) {
            expected = sources.retrying(url, "read " + url.sidecar(), source::readSidecar)
                    .map(text -> Sha256.parseSidecar(text, url.sidecar())).orElse(null);
        }
        return expected != null ? fetchVerified(source, expected, request) : fetchUnverified(source, request);
    }

    /** The entries, most recently used first. */
    public CacheListing list() {
        CacheIndex.Snapshot now = index.snapshot();
        List<CacheEntry> listed = now.entries().stream()
                .sorted(Comparator.comparing(CacheStore.Entry::lastUsedInstant).reversed())
                .map(e -> toContract(e, now.inUse().contains(e.sha256())))
                .toList();
        return new CacheListing(settings.budgetBytes(), now.usedBytes(), listed, catalogPins.all());
    }

    public Optional<CacheEntry> entry(String sha256) {
        String digest = Sha256.normalize(sha256);
        CacheIndex.Snapshot now = index.snapshot();
        return now.entries().stream().filter(e -> e.sha256().equals(digest)).findFirst()
                .map(e -> toContract(e, now.inUse().contains(digest)));
    }

    /** The cached file with this digest, if present. */
    public Optional<CachedImage> cached(String sha256) {
        return index.cached(sha256);
    }

    /** Removes an entry (absent is fine); 409 ImageInUse while a fetch or download holds it. */
    public void evict(String sha256) {
        index.evict(Sha256.normalize(sha256));
    }

    /**
     * Pins the image for as long as the volume {@code holder} uses it as its backing file (replacing what the holder
     * pinned before), durably, across restarts: eviction skips it and {@link #evict} refuses it until
     * {@link #unpinVolume}. Call it while an open fetch of the image holds it, so that it cannot go in between.
     */
    public void pinForVolume(String holder, CachedImage image) {
        pins.pin(holder, image.sha256());
        LOG.info("image cache entry pinned sha256={} volume={}", image.sha256(), holder);
    }

    /** Drops the volume's pin (absent is fine); an entry over the budget may go now. */
    public void unpinVolume(String holder) {
        Optional<String> pinned = pins.pinnedBy(holder);
        pins.unpin(holder);
        if (pinned.isPresent()) {
            LOG.info("image cache entry unpinned sha256={} volume={}", pinned.get(), holder);
            index.trimToBudget();
        }
    }

    /** The digest the volume pins, if any. */
    public Optional<String> pinnedBy(String holder) {
        return pins.pinnedBy(holder);
    }

    /**
     * Gets an image into the cache ahead of use and reports progress; repeating the call joins the download. A
     * failure is reported once, and the next call tries again. A prefetch pins its image only while it downloads.
     */
    public PrefetchStatus prefetch(ImageRequest request) {
        return prefetch(request, null);
    }

    /**
     * A prefetch for a catalogue image: once cached, the image is pinned under {@code catalogPin} (a VirtualMachineImage
     * name) durably, across restarts, so that eviction skips it and {@link #evict} refuses it until
     * {@link #unpinCatalog}. A later prefetch under the same name moves the pin to its digest.
     *
     * @param catalogPin the catalogue image's name; null pins nothing
     */
    public PrefetchStatus prefetch(ImageRequest request, String catalogPin) {
        policy.checkUrl(request.url());
        if (catalogPin == null) {
            return prefetches.prefetch(request, null, image -> { });
        }
        checkCatalogName(catalogPin);
        return prefetches.prefetch(request, catalogPin, image -> {
            if (!catalogPins.pinnedBy(catalogPin).equals(Optional.of(image.sha256()))) {
                catalogPins.pin(catalogPin, image.sha256());
                LOG.info("image cache entry pinned sha256={} catalogImage={}", image.sha256(), catalogPin);
            }
        });
    }

    /**
     * Drops the catalogue image's pin (absent is fine), and the pin of any prefetch under that name still running (the
     * image may be deleted while it downloads: its pin would then never be released); an entry over the budget may go
     * now.
     */
    public void unpinCatalog(String catalogImage) {
        checkCatalogName(catalogImage);
        prefetches.cancelPin(catalogImage);
        Optional<String> pinned = catalogPins.pinnedBy(catalogImage);
        catalogPins.unpin(catalogImage);
        if (pinned.isPresent()) {
            LOG.info("image cache entry unpinned sha256={} catalogImage={}", pinned.get(), catalogImage);
            index.trimToBudget();
        }
    }

    private static void checkCatalogName(String name) {
        if (!CachePins.validHolder(name)) {
            throw AgentException.invalid("catalogPin '" + name + "' is not a catalogue image name (a-z, 0-9, '-' and "
                    + "'.', starting with a letter or digit)");
        }
    }

    /**
     * Inspects a cached image right before a population opens it (entries cached before the inspector existed pass
     * here too). An unsafe entry is evicted, whoever holds it: no one may use it. A declared format that differs is
     * refused without evicting (the image itself may be fine for others).
     *
     * @param declared the format the requester declared ({@code qcow2}, {@code raw}), or null for either
     */
    public ImageFormat inspectForUse(CachedImage image, String declared) {
        ImageFormat format;
        try {
            format = ImageInspector.inspect(image.path());
        } catch (AgentException e) {
            if (AgentErrorReasons.UNSAFE_IMAGE.equals(e.reason())) {
                index.removeUnsafe(image.sha256());
            }
            throw new AgentException(e.kind(), e.reason(), "image " + image.sha256() + ": " + e.getMessage(), e);
        }
        ImageInspector.checkDeclared(format, declared);
        return format;
    }

    @Override
    public void close() {
        downloads.shutdownNow();
        streamThreads.shutdownNow();
    }

    /**
     * A hit needs the request's URL among the entry's verified sources and the tenant among its readers; a tenant not
     * yet recorded first stats its URL with its own credentials (outside the lock: it is network). Any other request
     * downloads from its own URL and verifies the digest, which records URL and tenant. Requests share a download only
     * with requests for the same digest, the same URL and the same credentials, so nobody receives bytes through
     * someone else's access.
     */
    private ImageFetch fetchVerified(ImageSource source, String sha256, ImageRequest request) {
        ImageUrl url = source.url();
        String tenant = request.tenant();
        boolean reuse = !settings.verifyOnUse();
        ImageFetch hit = reuse ? index.readerHit(sha256, url, tenant, false) : null;
        if (hit != null) {
            return hit;
        }
        boolean statPassed = index.isVerifiedSource(sha256, url)
                && Readers.statAsRequester(sources, source, sha256, tenant);
        String key = sha256 + " " + url.text() + " " + request.sharingKey();
        return started(index.claimVerified(key, sha256, url, tenant, statPassed, reuse), source, null);
    }

    /** The stat of the requester's own URL with its own credentials comes first, so a hit here is authorized. */
    private ImageFetch fetchUnverified(ImageSource source, ImageRequest request) {
        ImageUrl url = source.url();
        RemoteObject object = sources.retrying(url, "stat " + url, source::stat);
        String key = "url " + url.text() + " " + object.validator() + request.redirectsKey();
        return started(index.claimByUrl(key, url, object.validator(), request.tenant(), !settings.verifyOnUse()), source, object);
    }

    private static CacheEntry toContract(CacheStore.Entry e, boolean inUse) {
        return new CacheEntry(e.sha256(), e.sizeBytes(), e.format(), e.virtualSizeBytes(), e.lastUsed(), e.sourceUrls(),
                inUse);
    }

    /** Hands a download the claim registered to a download thread; a hit or a join has nothing to start. */
    private ImageFetch started(CacheIndex.Claim claim, ImageSource source, RemoteObject object) {
        if (claim.started() != null) {
            downloads.execute(() -> filler.run(claim.started(), source, object, claim.reverify()));
        }
        return claim.fetch();
    }
}
