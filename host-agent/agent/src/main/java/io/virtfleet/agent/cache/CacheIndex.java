package io.virtfleet.agent.cache;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the cache holds and who holds it: the entries, the downloads in flight, the open fetches (pins), the bytes
 * used, and the least-recently-used eviction under the byte budget. The only class that takes the cache's lock.
 *
 * <p><b>Invariants</b> (every one relies on all of this state changing under one lock, {@link #lock}):
 * <ol>
 *   <li>{@link #entries} are exactly the committed files {@code sha256/<hex>}, and {@link #usedBytes} is the sum of
 *   their sizes. An entry is added only together with its file's rename, removed only together with its deletion.</li>
 *   <li>An entry is <em>in use</em> while a download in {@link #inFlight}, an open fetch in {@link #open} or a
 *   volume's pin in {@link CachePins} names its digest. Eviction for the budget and eviction on request never remove an entry in use; only an entry found
 *   unsafe or corrupt is removed whoever holds it (nobody may use it).</li>
 *   <li>Single flight: {@link #inFlight} holds at most one download per key, and a request looks for a running download
 *   and registers a new one in the same hold of the lock, so two requests with one key never start two downloads.</li>
 *   <li>A pin is taken in the same hold of the lock that chose the entry or download (hit, join or start), and a
 *   download without an expected digest takes its digest in the same hold that commits the entry: eviction never runs
 *   between choosing an image and pinning it.</li>
 *   <li>Nothing under the lock waits for the network or for another lock; the only I/O under it is the cache's own
 *   small files (metadata, the rename, deletions), which must change together with the maps.</li>
 * </ol>
 * The concurrency tests: {@code CacheIndexTest} (pins against eviction, one registration per key) and
 * {@code ImageCacheIntegrationTest} (ten concurrent requests make one GET; LRU never evicts a pinned entry).
 */
final class CacheIndex {
    private static final Logger LOG = LoggerFactory.getLogger(ImageCache.class); // the cache's log, as before the split

    /** A request's outcome: its fetch, and the download it registered (null for a hit or a join). */
    record Claim(ImageFetch fetch, Download started, String reverify) {
    }

    /** The entries at one moment, with the digests held by fetches or downloads. */
    record Snapshot(List<CacheStore.Entry> entries, Set<String> inUse, long usedBytes) {
    }

    private final CacheStore store;
    /** Volume pins and catalogue pins: eviction skips every digest any of them names. */
    private final List<CachePins> pins;
    private final long budgetBytes;
    private final CacheMetrics metrics;

    private final Object lock = new Object();
    /** Entries by digest. Guarded by {@link #lock}, like everything below. */
    private final Map<String, CacheStore.Entry> entries;
    private final Map<String, Download> inFlight = new HashMap<>();
    private final Set<ImageFetch> open = Collections.newSetFromMap(new IdentityHashMap<>());
    private long usedBytes;

    /** Loads the entries {@code store} recovered; call {@link #trimToBudget()} once the start is logged. */
    CacheIndex(CacheStore store, CachePins pins, long budgetBytes, CacheMetrics metrics) {
        this(store, List.of(pins), budgetBytes, metrics);
    }

    CacheIndex(CacheStore store, List<CachePins> pins, long budgetBytes, CacheMetrics metrics) {
        this.store = store;
        this.pins = List.copyOf(pins);
        this.budgetBytes = budgetBytes;
        this.metrics = metrics;
        this.entries = store.load();
        this.usedBytes = entries.values().stream().mapToLong(CacheStore.Entry::sizeBytes).sum();
        metrics.watchIndex(this::usedBytes, this::entryCount);
    }

    /** The files behind the entries; only the download threads' temp files and entry reads go there directly. */
    CacheStore store() {
        return store;
    }

    // ---- claims: hits, joins and new downloads, each pinned in the hold that chose it

    /**
     * A hit when {@code url} is among the entry's verified sources and the tenant among its readers, or has just
     * passed a stat with its own credentials; null otherwise.
     */
    ImageFetch readerHit(String sha256, ImageUrl url, String tenant, boolean statPassed) {
        synchronized (lock) {
            CacheStore.Entry entry = authorizedEntry(sha256, url, tenant, statPassed);
            return entry == null ? null : hit(entry, url, tenant);
        }
    }

    /** Whether {@code url} gave the bytes of {@code sha256} before: only then can a stat make its tenant a reader. */
    boolean isVerifiedSource(String sha256, ImageUrl url) {
        synchronized (lock) {
            CacheStore.Entry entry = entries.get(sha256);
            return entry != null && entry.verifiedSources().contains(url.toString());
        }
    }

    /**
     * A request with an expected digest: a hit for an authorized reader (unless {@code reuse} is off), else the
     * running download with the same key, else a new one; it re-verifies the entry first when the reader was
     * authorized.
     */
    Claim claimVerified(String key, String sha256, ImageUrl url, String tenant, boolean statPassed, boolean reuse) {
        synchronized (lock) {
            CacheStore.Entry authorized = authorizedEntry(sha256, url, tenant, statPassed);
            if (authorized != null && reuse) {
                return new Claim(hit(authorized, url, tenant), null, null);
            }
            Download running = inFlight.get(key);
            if (running != null) {
                LOG.info("image download joined url={} sha256={} tenant={}", url, sha256, tenant);
                return join(running, tenant);
            }
            return start(key, true, sha256, tenant, authorized != null ? sha256 : null);
        }
    }

    /**
     * A request without any checksum, keyed by URL and validator (ETag/Last-Modified): the running download, else
     * the entry recorded for this URL version (unless {@code reuse} is off), else a new download.
     */
    Claim claimByUrl(String key, ImageUrl url, String validator, String tenant, boolean reuse) {
        synchronized (lock) {
            Download running = inFlight.get(key);
            if (running != null) {
                LOG.info("image download joined url={} unverified=true", url);
                return join(running, tenant);
            }
            String known = validator == null ? null : store.readUrlRecord(url)
                    .filter(r -> validator.equals(r.validator()) && entries.containsKey(r.sha256()))
                    .map(CacheStore.UrlRecord::sha256).orElse(null);
            if (known != null && reuse) {
                metrics.hit();
                LOG.info("image cache hit url={} sha256={} unverified=true", url, known);
                CacheStore.Entry used = authorize(touch(entries.get(known), url), url, List.of(tenant));
                return new Claim(attach(Download.hit(image(used), false)), null, null);
            }
            if (validator == null) {
                LOG.warn("image url={} has no checksum, ETag or Last-Modified: it is downloaded on every use", url);
            }
            return start(key, false, known, tenant, known);
        }
    }

    private CacheStore.Entry authorizedEntry(String sha256, ImageUrl url, String tenant, boolean statPassed) {
        CacheStore.Entry entry = entries.get(sha256);
        boolean authorized = entry != null && entry.verifiedSources().contains(url.toString())
                && (statPassed || entry.tenants().contains(tenant));
        return authorized ? entry : null;
    }

    private ImageFetch hit(CacheStore.Entry entry, ImageUrl url, String tenant) {
        metrics.hit();
        LOG.info("image cache hit url={} sha256={} tenant={}", url, entry.sha256(), tenant);
        CacheStore.Entry used = authorize(touch(entry, url), url, List.of(tenant));
        return attach(Download.hit(image(used), true));
    }

    private Claim join(Download running, String tenant) {
        running.tenants.add(tenant);
        return new Claim(attach(running), null, null);
    }

    private Claim start(String key, boolean verified, String sha256, String tenant, String reverify) {
        Download download = new Download(key, verified, sha256);
        inFlight.put(key, download);
        download.tenants.add(tenant);
        return new Claim(attach(download), download, reverify);
    }

    private ImageFetch attach(Download download) {
        ImageFetch fetch = new ImageFetch(this, download);
        open.add(fetch);
        return fetch;
    }

    /** An open fetch closed: its pin goes, and an entry over budget that it held may go now. */
    void release(ImageFetch fetch) {
        synchronized (lock) {
            open.remove(fetch);
            evictToBudget(0, null);
        }
    }

    /** A download ended (either way): the next request with its key starts a new one. */
    void finished(Download download) {
        synchronized (lock) {
            inFlight.remove(download.key, download);
        }
    }

    // ---- what a download brings

    /**
     * Makes a verified, inspected download an entry (or records its URL and readers on the entry with the same bytes),
     * pinned by the download from here on, and trims the cache back into its budget.
     *
     * @param validator the URL version of an image without checksum, recorded to find it again; null otherwise
     */
    CacheStore.Entry commit(Download download, Path tmp, String sha256, long sizeBytes, ImageFormat format, ImageUrl url,
                            String validator) throws IOException {
        synchronized (lock) {
            download.sha256(sha256); // pins it from here on: the download is still in flight
            CacheStore.Entry entry;
            CacheStore.Entry existing = entries.get(sha256);
            if (existing == null) {
                entry = new CacheStore.Entry(sha256, sizeBytes, format.name(), format.virtualSizeBytes(),
                        Instant.now().toString(), List.of(url.toString()), List.of(url.toString()),
                        List.copyOf(download.tenants));
                store.commit(tmp, entry);
                entries.put(entry.sha256(), entry);
                usedBytes += entry.sizeBytes();
            } else { // the same bytes from another URL (or the same one with other credentials)
                entry = authorize(touch(existing, url), url, download.tenants);
            }
            if (!download.verified && validator != null) {
                store.writeUrlRecord(url, new CacheStore.UrlRecord(url.toString(), validator, entry.sha256()));
            }
            evictToBudget(0, entry.sha256());
            return entry;
        }
    }

    /**
     * After an entry was re-hashed to {@code actual}: a sound entry is a hit; a corrupt one is removed (null: download
     * again), as is an entry that went meanwhile.
     */
    CachedImage afterRehash(String sha256, String actual, ImageUrl url) {
        synchronized (lock) {
            CacheStore.Entry entry = entries.get(sha256);
            if (entry == null) {
                return null;
            }
            if (actual.equals(sha256)) {
                metrics.hit();
                LOG.info("image cache hit url={} sha256={} reverified=true", url, sha256);
                return image(touch(entry, url));
            }
            metrics.checksumFailure();
            LOG.error("image cache entry sha256={} is corrupt (hashes to {}); removing it and downloading again", sha256,
                    actual);
            remove(entry, "corrupt");
            return null;
        }
    }

    /** Removes an entry found unsafe, whoever holds it: no one may use it. */
    void removeUnsafe(String sha256) {
        synchronized (lock) {
            CacheStore.Entry entry = entries.get(sha256);
            if (entry != null) {
                remove(entry, "unsafe");
            }
        }
    }

    // ---- reading and evicting

    /** The entries and which of them are in use, taken in one hold of the lock. */
    Snapshot snapshot() {
        synchronized (lock) {
            return new Snapshot(List.copyOf(entries.values()), inUse(), usedBytes);
        }
    }

    Optional<CachedImage> cached(String sha256) {
        synchronized (lock) {
            return Optional.ofNullable(entries.get(sha256)).map(this::image);
        }
    }

    /** Removes an entry (absent is fine); 409 ImageInUse while a fetch or download holds it. */
    void evict(String sha256) {
        synchronized (lock) {
            CacheStore.Entry entry = entries.get(sha256);
            if (entry == null) {
                return;
            }
            if (inUse().contains(sha256)) {
                throw AgentException.conflict(AgentErrorReasons.IMAGE_IN_USE, "image " + sha256
                        + " is in use (a volume is populated from it or is an overlay over it, a catalogue image pins it, or it is being downloaded or verified)");
            }
            remove(entry, "request");
        }
    }

    /** Evicts what exceeds the budget now (at start: the budget may have shrunk since the last run). */
    void trimToBudget() {
        synchronized (lock) {
            evictToBudget(0, null);
        }
    }

    /** Before a download: evicts so that {@code incoming} more bytes fit the budget. */
    void makeRoom(long incoming) {
        synchronized (lock) {
            evictToBudget(incoming, null);
        }
    }

    long usedBytes() {
        synchronized (lock) {
            return usedBytes;
        }
    }

    int entryCount() {
        synchronized (lock) {
            return entries.size();
        }
    }

    // ---- under the lock

    private Set<String> inUse() {
        Set<String> used = new HashSet<>(); // backing files of copy-on-write volumes, catalogue images kept on the node
        pins.forEach(p -> used.addAll(p.digests()));
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

    /** Evicts least recently used entries not in use (nor {@code spare}) until {@code incoming} more bytes fit. */
    private void evictToBudget(long incoming, String spare) {
        if (budgetBytes == 0 || usedBytes + incoming <= budgetBytes) {
            return;
        }
        Set<String> inUse = inUse();
        List<CacheStore.Entry> oldestFirst = entries.values().stream()
                .sorted(Comparator.comparing(CacheStore.Entry::lastUsedInstant)).toList();
        for (CacheStore.Entry entry : oldestFirst) {
            if (usedBytes + incoming <= budgetBytes) {
                return;
            }
            if (!inUse.contains(entry.sha256()) && !entry.sha256().equals(spare)) {
                remove(entry, "budget");
            }
        }
        LOG.warn("image cache over budget usedBytes={} incomingBytes={} budgetBytes={}: the rest is in use", usedBytes,
                incoming, budgetBytes);
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

    /** Records a use: last use now, the URL among the sources (lost on a failed write: only the LRU order suffers). */
    private CacheStore.Entry touch(CacheStore.Entry entry, ImageUrl url) {
        return keep(entry.usedAt(Instant.now()).withSource(url.toString()), "use");
    }

    /** Records that {@code url} gave these bytes and {@code tenants} could read it (lost: they stat or download again). */
    private CacheStore.Entry authorize(CacheStore.Entry entry, ImageUrl url, Collection<String> tenants) {
        CacheStore.Entry authorized = entry.authorized(url.toString(), tenants);
        return authorized.equals(entry) ? entry : keep(authorized, "readers");
    }

    /** Replaces an entry's metadata in memory and on disk; a failed write loses only what it recorded, logged. */
    private CacheStore.Entry keep(CacheStore.Entry updated, String what) {
        entries.put(updated.sha256(), updated);
        try {
            store.writeMeta(updated);
        } catch (IOException e) {
            LOG.warn("cannot record {} of cache entry sha256={} error={}", what, updated.sha256(), e.getMessage());
        }
        return updated;
    }

    CachedImage image(CacheStore.Entry entry) {
        return new CachedImage(store.entryPath(entry.sha256()), entry.sha256(), entry.sizeBytes());
    }
}
