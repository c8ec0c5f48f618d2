package io.virtfleet.agent.cache;

import io.micrometer.core.instrument.MeterRegistry;
import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentException.Kind;
import io.virtfleet.agent.S3Settings;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.CacheEntry;
import io.virtfleet.agent.contract.CacheListing;
import io.virtfleet.agent.contract.PrefetchStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
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
 *   never evicted. All index changes happen under one lock, so "in use" cannot change while eviction decides.</li>
 * </ul>
 *
 * <p><b>Readers.</b> Knowing a digest is not enough to get an image: a hit needs the request's URL among the URLs the
 * entry's bytes were verified from, and the requesting tenant among those that proved they can read it (a stat of its
 * URL with its own credentials, done once per tenant). Other requests download from their own URL and verify.
 */
public final class ImageCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ImageCache.class);

    private final CacheSettings settings;
    private final CacheStore store;
    private final SourcePolicy policy;
    private final Sources sources;
    private final ExecutorService downloads;
    private final ExecutorService streamThreads;
    private final Downloader downloader;
    private final CacheMetrics metrics;
    private final AtomicInteger active = new AtomicInteger();

    private final Object lock = new Object();
    /** Entries by digest. Guarded by {@link #lock}, like everything below. */
    private final Map<String, CacheStore.Entry> entries;
    private final Map<String, Download> inFlight = new HashMap<>();
    private final Set<ImageFetch> open = Collections.newSetFromMap(new IdentityHashMap<>());
    private long usedBytes;
    private final Prefetches prefetches = new Prefetches(this::fetch);

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
        this.store = new CacheStore(cacheDir);
        this.entries = store.load();
        this.usedBytes = entries.values().stream().mapToLong(CacheStore.Entry::sizeBytes).sum();
        this.policy = new SourcePolicy(settings.httpHosts(), settings.allowedNetworks(), resolver);
        this.sources = new Sources(settings, s3, new HttpTransport(policy, settings.connectTimeout(),
                settings.readTimeout()));
        this.downloads = Executors.newFixedThreadPool(settings.maxDownloads(),
                Thread.ofPlatform().name("image-download-", 0).daemon().factory());
        this.streamThreads = Executors.newCachedThreadPool(Thread.ofPlatform().name("image-stream-", 0).daemon().factory());
        this.downloader = new Downloader(streamThreads, settings.retry(), settings.streams(), settings.partBytes());
        this.metrics = new CacheMetrics(registry, this::usedBytes, settings.budgetBytes(), () -> entryCount(), active::get);
        LOG.info("image cache opened dir={} entries={} usedBytes={} budgetBytes={} downloads={} streams={} verify={}",
                cacheDir, entries.size(), usedBytes, settings.budgetBytes(), settings.maxDownloads(), settings.streams(),
                settings.verifyOnUse() ? "always" : "trust");
        synchronized (lock) {
            evictToBudget(0, null);
        }
    }

    /**
     * Starts (or joins) getting the image into the cache and pins it until the returned fetch is closed. Resolves the
     * expected digest first (the request's, else {@code <url>.sha256}; the source's version when neither exists), so
     * bad URLs and unreachable sources fail right here, in the caller's thread.
     */
    public ImageFetch fetch(ImageRequest request) {
        ImageUrl url = ImageUrl.parse(request.url());
        policy.checkUrl(url);
        String expected = request.sha256() == null ? null : Sha256.normalize(request.sha256());
        ImageSource source = sources.source(url, request.credentials());
        if (expected == null) {
            expected = sources.retrying("read " + url.sidecar(), source::readSidecar)
                    .map(text -> Sha256.parseSidecar(text, url.sidecar())).orElse(null);
        }
        return expected != null ? fetchVerified(source, expected, request) : fetchUnverified(source, request.tenant());
    }

    /** The entries, most recently used first. */
    public CacheListing list() {
        synchronized (lock) {
            Set<String> inUse = inUse();
            List<CacheEntry> listed = entries.values().stream()
                    .sorted(Comparator.comparing(CacheStore.Entry::lastUsedInstant).reversed())
                    .map(e -> toContract(e, inUse.contains(e.sha256())))
                    .toList();
            return new CacheListing(settings.budgetBytes(), usedBytes, listed);
        }
    }

    public Optional<CacheEntry> entry(String sha256) {
        String digest = Sha256.normalize(sha256);
        synchronized (lock) {
            return Optional.ofNullable(entries.get(digest)).map(e -> toContract(e, inUse().contains(digest)));
        }
    }

    /** The cached file with this digest, if present. */
    public Optional<CachedImage> cached(String sha256) {
        synchronized (lock) {
            return Optional.ofNullable(entries.get(sha256)).map(this::cachedImage);
        }
    }

    /** Removes an entry (absent is fine); 409 ImageInUse while a fetch or download holds it. */
    public void evict(String sha256) {
        String digest = Sha256.normalize(sha256);
        synchronized (lock) {
            CacheStore.Entry entry = entries.get(digest);
            if (entry == null) {
                return;
            }
            if (inUse().contains(digest)) {
                throw AgentException.conflict(AgentErrorReasons.IMAGE_IN_USE, "image " + digest
                        + " is in use (a volume is being populated from it or it is being downloaded or verified)");
            }
            remove(entry, "request");
        }
    }

    /**
     * Gets an image into the cache ahead of use and reports progress; repeating the call joins the download. A
     * failure is reported once, and the next call tries again. A prefetch pins its image only while it downloads.
     */
    public PrefetchStatus prefetch(ImageRequest request) {
        return prefetches.prefetch(request);
    }

    @Override
    public void close() {
        downloads.shutdownNow();
        streamThreads.shutdownNow();
    }

    // ---- fetching

    /**
     * A hit needs the request's URL among the entry's verified sources and the tenant among its readers; a tenant not
     * yet recorded first stats its URL with its own credentials (outside the lock: it is network). Any other request
     * downloads from its own URL and verifies the digest, which records URL and tenant. Requests share a download only
     * with requests for the same digest, the same URL and the same credentials, so nobody receives bytes through
     * someone else's access.
     */
    private ImageFetch fetchVerified(ImageSource source, String sha256, ImageRequest request) {
        String url = source.url().toString();
        String tenant = request.tenant();
        boolean knownSource;
        synchronized (lock) {
            CacheStore.Entry entry = entries.get(sha256);
            knownSource = entry != null && entry.verifiedSources().contains(url);
            if (knownSource && entry.tenants().contains(tenant) && !settings.verifyOnUse()) {
                return hit(entry, source.url(), tenant);
            }
        }
        boolean statPassed = knownSource && Readers.statAsRequester(sources, source, sha256, tenant);
        String key = sha256 + " " + source.url().text() + " " + Readers.credentialsKey(request);
        synchronized (lock) {
            CacheStore.Entry entry = entries.get(sha256);
            boolean authorized = entry != null && entry.verifiedSources().contains(url)
                    && (statPassed || entry.tenants().contains(tenant));
            if (authorized && !settings.verifyOnUse()) {
                return hit(entry, source.url(), tenant);
            }
            Download running = inFlight.get(key);
            if (running != null) {
                LOG.info("image download joined url={} sha256={} tenant={}", source.url(), sha256, tenant);
                running.tenants.add(tenant);
                return attach(running);
            }
            Download download = start(key, true, sha256);
            download.tenants.add(tenant);
            downloads.execute(() -> run(download, source, null, authorized ? sha256 : null));
            return attach(download);
        }
    }

    private ImageFetch hit(CacheStore.Entry entry, ImageUrl url, String tenant) {
        metrics.hit();
        LOG.info("image cache hit url={} sha256={} tenant={}", url, entry.sha256(), tenant);
        CacheStore.Entry used = authorize(touch(entry, url), url, List.of(tenant));
        return attach(Download.hit(cachedImage(used), true));
    }

    /** The stat of the requester's own URL with its own credentials comes first, so a hit here is authorized. */
    private ImageFetch fetchUnverified(ImageSource source, String tenant) {
        ImageUrl url = source.url();
        RemoteObject object = sources.retrying("stat " + url, source::stat);
        String validator = object.validator();
        String key = "url " + url.text() + " " + validator;
        synchronized (lock) {
            Download running = inFlight.get(key);
            if (running != null) {
                LOG.info("image download joined url={} unverified=true", url);
                running.tenants.add(tenant);
                return attach(running);
            }
            String known = validator == null ? null : store.readUrlRecord(url)
                    .filter(r -> validator.equals(r.validator()) && entries.containsKey(r.sha256()))
                    .map(CacheStore.UrlRecord::sha256).orElse(null);
            if (known != null && !settings.verifyOnUse()) {
                metrics.hit();
                LOG.info("image cache hit url={} sha256={} unverified=true", url, known);
                return attach(Download.hit(cachedImage(authorize(touch(entries.get(known), url), url, List.of(tenant))),
                        false));
            }
            if (validator == null) {
                LOG.warn("image url={} has no checksum, ETag or Last-Modified: it is downloaded on every use", url);
            }
            Download download = start(key, false, known);
            download.tenants.add(tenant);
            downloads.execute(() -> run(download, source, object, known));
            return attach(download);
        }
    }

    /** Registers a new download (under the lock). */
    private Download start(String key, boolean verified, String sha256) {
        Download download = new Download(key, verified, sha256);
        inFlight.put(key, download);
        return download;
    }

    /**
     * The download thread's work: re-verify an existing entry if asked (and keep it when sound), else download;
     * then complete everyone's fetch.
     */
    private void run(Download download, ImageSource source, RemoteObject knownObject, String reverify) {
        active.incrementAndGet();
        try {
            CachedImage image = reverify == null ? null : reverified(reverify, source.url());
            if (image == null) {
                metrics.miss();
                image = download(download, source, knownObject);
            }
            finish(download);
            download.result.complete(image);
        } catch (Throwable e) {
            finish(download);
            LOG.warn("image download failed url={} sha256={} reason={} error={}", source.url(), download.sha256(),
                    e instanceof AgentException a ? a.reason() : "-", e.getMessage());
            download.result.completeExceptionally(asAgentException(e, source.url()));
        } finally {
            active.decrementAndGet();
        }
    }

    private void finish(Download download) {
        synchronized (lock) {
            inFlight.remove(download.key, download);
        }
    }

    private CachedImage download(Download download, ImageSource source, RemoteObject knownObject)
            throws IOException, InterruptedException {
        ImageUrl url = source.url();
        RemoteObject object = knownObject != null ? knownObject : sources.retrying("stat " + url, source::stat);
        download.total(object.sizeBytes());
        makeRoom(object.sizeBytes());
        Path tmp = store.newTempFile(download.verified ? download.sha256() : "unverified");
        long started = System.nanoTime();
        try {
            Downloader.Result result = downloader.download(source, object, tmp, download::done);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            metrics.downloaded(result.sizeBytes(), took);
            String expected = download.verified ? download.sha256() : null;
            if (expected != null && !result.sha256().equals(expected)) {
                metrics.checksumFailure();
                throw new AgentException(Kind.CONFLICT, AgentErrorReasons.CHECKSUM_MISMATCH, "image " + url
                        + " has SHA-256 " + result.sha256() + " but " + expected + " was expected");
            }
            ImageFormat format = inspected(tmp, url, result.sha256()); // refused: the finally removes the file
            CacheStore.Entry entry;
            synchronized (lock) {
                download.sha256(result.sha256()); // pins it from here on: the download is still in flight
                CacheStore.Entry existing = entries.get(result.sha256());
                if (existing == null) {
                    entry = new CacheStore.Entry(result.sha256(), result.sizeBytes(), format.name(),
                            format.virtualSizeBytes(), Instant.now().toString(), List.of(url.toString()),
                            List.of(url.toString()), List.copyOf(download.tenants));
                    store.commit(tmp, entry);
                    entries.put(entry.sha256(), entry);
                    usedBytes += entry.sizeBytes();
                } else { // the same bytes from another URL (or the same one with other credentials)
                    entry = authorize(touch(existing, url), url, download.tenants);
                }
                if (!download.verified && object.validator() != null) {
                    store.writeUrlRecord(url, new CacheStore.UrlRecord(url.toString(), object.validator(), entry.sha256()));
                }
                evictToBudget(0, entry.sha256());
            }
            LOG.info("image cached url={} sha256={} verified={} format={} bytes={} millis={} mibPerSecond={}", url,
                    entry.sha256(), download.verified, entry.format(), entry.sizeBytes(), took.toMillis(),
                    took.toMillis() == 0 ? "-" : String.valueOf(entry.sizeBytes() * 1000 / took.toMillis() >> 20));
            return cachedImage(entry);
        } finally {
            Files.deleteIfExists(tmp);
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
                synchronized (lock) {
                    CacheStore.Entry entry = entries.get(image.sha256());
                    if (entry != null) {
                        remove(entry, "unsafe");
                    }
                }
            }
            throw new AgentException(e.kind(), e.reason(), "image " + image.sha256() + ": " + e.getMessage(), e);
        }
        ImageInspector.checkDeclared(format, declared);
        return format;
    }

    /** Inspects a download; when refused, an entry with the same digest (cached before the inspector) goes too. */
    private ImageFormat inspected(Path file, ImageUrl url, String sha256) {
        try {
            return ImageInspector.inspect(file);
        } catch (AgentException e) {
            LOG.warn("image refused url={} reason={} message={}", url, e.reason(), e.getMessage());
            synchronized (lock) {
                CacheStore.Entry same = entries.get(sha256);
                if (same != null && AgentErrorReasons.UNSAFE_IMAGE.equals(e.reason())) {
                    remove(same, "unsafe");
                }
            }
            throw new AgentException(e.kind(), e.reason(), "image " + url + " refused: " + e.getMessage(), e);
        }
    }

    /** Re-hashes an entry before use; a sound one is returned, a corrupt one is removed (null: download again). */
    private CachedImage reverified(String sha256, ImageUrl url) throws IOException {
        Path file = store.entryPath(sha256);
        String actual;
        try (InputStream in = Files.newInputStream(file)) {
            var digest = Sha256.newDigest();
            byte[] buffer = new byte[Downloader.BLOCK_BYTES];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            actual = HexFormat.of().formatHex(digest.digest());
        }
        synchronized (lock) {
            CacheStore.Entry entry = entries.get(sha256);
            if (entry == null) {
                return null;
            }
            if (actual.equals(sha256)) {
                metrics.hit();
                LOG.info("image cache hit url={} sha256={} reverified=true", url, sha256);
                return cachedImage(touch(entry, url));
            }
            metrics.checksumFailure();
            LOG.error("image cache entry sha256={} is corrupt (hashes to {}); removing it and downloading again", sha256,
                    actual);
            remove(entry, "corrupt");
            return null;
        }
    }

    // ---- pins and eviction (all under the lock)

    private ImageFetch attach(Download download) {
        ImageFetch fetch = new ImageFetch(this, download);
        open.add(fetch);
        return fetch;
    }

    void release(ImageFetch fetch) {
        synchronized (lock) {
            open.remove(fetch);
            evictToBudget(0, null); // an entry over budget that was held may go now
        }
    }

    private Set<String> inUse() {
        Set<String> used = new HashSet<>();
        for (Download download : inFlight.values()) {
            if (download.sha256() != null) {
                used.add(download.sha256());
            }
        }
        for (ImageFetch fetch : open) {
            if (fetch.sha256() != null) {
                used.add(fetch.sha256());
            }
        }
        return used;
    }

    /** Before a download: evicts so that {@code incoming} more bytes fit the budget, and checks the disk has room. */
    private void makeRoom(long incoming) throws IOException {
        if (incoming <= 0) {
            return;
        }
        synchronized (lock) {
            evictToBudget(incoming, null);
        }
        long free = Files.getFileStore(store.tmpDir()).getUsableSpace();
        if (free < incoming) {
            throw new AgentException(Kind.INTERNAL, AgentErrorReasons.DOWNLOAD_FAILED, "the image needs " + incoming
                    + " bytes but the cache's file system has " + free + " free");
        }
    }

    /** Evicts least recently used entries not in use (nor {@code spare}) until {@code incoming} more bytes fit. */
    private void evictToBudget(long incoming, String spare) {
        long budget = settings.budgetBytes();
        if (budget == 0 || usedBytes + incoming <= budget) {
            return;
        }
        Set<String> inUse = inUse();
        List<CacheStore.Entry> oldestFirst = entries.values().stream()
                .sorted(Comparator.comparing(CacheStore.Entry::lastUsedInstant)).toList();
        for (CacheStore.Entry entry : oldestFirst) {
            if (usedBytes + incoming <= budget) {
                return;
            }
            if (!inUse.contains(entry.sha256()) && !entry.sha256().equals(spare)) {
                remove(entry, "budget");
            }
        }
        LOG.warn("image cache over budget usedBytes={} incomingBytes={} budgetBytes={}: the rest is in use", usedBytes,
                incoming, budget);
    }

    private void remove(CacheStore.Entry entry, String why) {
        try {
            store.delete(entry.sha256());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove cache entry " + entry.sha256(), e);
        }
        entries.remove(entry.sha256());
        usedBytes -= entry.sizeBytes();
        metrics.evicted();
        LOG.info("image cache evicted sha256={} bytes={} why={} lastUsed={}", entry.sha256(), entry.sizeBytes(), why,
                entry.lastUsed());
    }

    /** Records a use (under the lock): last use now, the URL among the sources. */
    private CacheStore.Entry touch(CacheStore.Entry entry, ImageUrl url) {
        CacheStore.Entry used = entry.usedAt(Instant.now()).withSource(url.toString());
        entries.put(used.sha256(), used);
        try {
            store.writeMeta(used);
        } catch (IOException e) { // only the LRU order after a restart suffers
            LOG.warn("cannot record use of cache entry sha256={} error={}", entry.sha256(), e.getMessage());
        }
        return used;
    }

    /** Records (under the lock) that {@code url} gave these bytes and that {@code tenants} could read it. */
    private CacheStore.Entry authorize(CacheStore.Entry entry, ImageUrl url, java.util.Collection<String> tenants) {
        CacheStore.Entry authorized = entry.authorized(url.toString(), tenants);
        if (authorized.equals(entry)) {
            return entry;
        }
        entries.put(authorized.sha256(), authorized);
        try {
            store.writeMeta(authorized);
        } catch (IOException e) { // the next request stats or downloads again
            LOG.warn("cannot record readers of cache entry sha256={} error={}", entry.sha256(), e.getMessage());
        }
        return authorized;
    }

    // ---- helpers

    private static AgentException asAgentException(Throwable e, ImageUrl url) {
        if (e instanceof AgentException agent) {
            return agent;
        }
        if (e.getCause() instanceof AgentException agent) {
            return agent;
        }
        return new AgentException(Kind.INTERNAL, AgentErrorReasons.DOWNLOAD_FAILED,
                "download of " + url + " failed: " + e.getMessage(), e);
    }

    private CachedImage cachedImage(CacheStore.Entry entry) {
        return new CachedImage(store.entryPath(entry.sha256()), entry.sha256(), entry.sizeBytes());
    }

    private static CacheEntry toContract(CacheStore.Entry e, boolean inUse) {
        return new CacheEntry(e.sha256(), e.sizeBytes(), e.format(), e.virtualSizeBytes(), e.lastUsed(), e.sourceUrls(),
                inUse);
    }

    private long usedBytes() {
        synchronized (lock) {
            return usedBytes;
        }
    }

    private int entryCount() {
        synchronized (lock) {
            return entries.size();
        }
    }
}
