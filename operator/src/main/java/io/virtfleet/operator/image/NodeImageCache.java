package io.virtfleet.operator.image;

import io.virtfleet.agent.contract.CacheEntry;
import io.virtfleet.agent.contract.CacheListing;
import io.virtfleet.agent.contract.ImageCredentials;
import io.virtfleet.agent.contract.PrefetchRequest;
import io.virtfleet.agent.contract.PrefetchStatus;
import io.virtfleet.crds.v1alpha1.VirtualMachineImageSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachineImageStatus.NodeImage;
import io.virtfleet.operator.agent.AgentCallException;
import io.virtfleet.operator.agent.AgentClient;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One catalogue image on one node, through the node's agent: reads the cache listing, prefetches (and pins) where the
 * prefetch selects the node and the image is not there yet or not pinned, drops the pin where it no longer selects
 * it, and answers the node's status entry. The agent is asked to download only when its listing lacks the image.
 */
final class NodeImageCache {
    static final String CACHED = "Cached";
    static final String DOWNLOADING = PrefetchStatus.DOWNLOADING;
    static final String FAILED = PrefetchStatus.FAILED;
    static final String UNKNOWN = "Unknown";

    private NodeImageCache() {
    }

    /** What one node said: its status entry (empty when it neither caches the image nor is selected) and the digest. */
    record Observed(Optional<NodeImage> entry, Optional<String> sha256) {
    }

    /**
     * @param selected    whether the prefetch selects the node
     * @param pin         whether the image is to be pinned there (prefetch.pin)
     * @param credentials the catalogue's object-store credentials; null: the agent's own
     */
    static Observed observe(AgentClient agent, String node, String name, VirtualMachineImageSpec spec,
                            boolean selected, boolean pin, ImageCredentials credentials) throws AgentCallException {
        CacheListing listing = agent.cacheListing();
        String pinned = listing.catalogPins().get(name);
        Optional<CacheEntry> entry = find(listing, spec, pinned);
        PrefetchStatus progress = null;
        if (selected && (entry.isEmpty() || pin && !Objects.equals(pinned, entry.get().sha256()))) {
            progress = agent.prefetch(new PrefetchRequest(spec.getUrl(), spec.getSha256(), credentials,
                    pin ? name : null));
            if (PrefetchStatus.CACHED.equals(progress.phase())) {
                listing = agent.cacheListing();
                pinned = listing.catalogPins().get(name);
                entry = find(listing, spec, pinned);
            }
        }
        if (pinned != null && !(selected && pin)) {
            agent.unpinCatalogImage(name);
            pinned = null;
        }
        if (entry.isPresent()) {
            CacheEntry e = entry.get();
            return new Observed(Optional.of(new NodeImage(node, CACHED, e.sizeBytes(),
                    Objects.equals(pinned, e.sha256()), null)), Optional.of(e.sha256()));
        }
        if (progress == null) {
            return new Observed(Optional.empty(), Optional.empty());
        }
        boolean failed = PrefetchStatus.FAILED.equals(progress.phase());
        // No progress figures: they would cost a status write every few seconds while a prefetch runs.
        String message = failed && progress.error() != null ? progress.error().reason() + ": " + progress.error().message()
                : null;
        return new Observed(Optional.of(new NodeImage(node, failed ? FAILED : DOWNLOADING, null, false,
                clip(message))), Optional.ofNullable(progress.imageSha256()));
    }

    /**
     * The image's entry: by the spec's digest; without one, by its URL among the entry's sources, the pinned digest
     * first. The pin alone does not name the image: after a change of {@code spec.url} it still names the old URL's
     * bytes, which must then be prefetched anew and the pin moved.
     */
    static Optional<CacheEntry> find(CacheListing listing, VirtualMachineImageSpec spec, String pinned) {
        if (spec.getSha256() != null) {
            return listing.entries().stream().filter(e -> e.sha256().equals(spec.getSha256())).findFirst();
        }
        String listed = listed(spec.getUrl());
        List<CacheEntry> byUrl = listing.entries().stream().filter(e -> e.sourceUrls() != null
                && (e.sourceUrls().contains(spec.getUrl()) || e.sourceUrls().contains(listed))).toList();
        return byUrl.stream().filter(e -> e.sha256().equals(pinned)).findFirst().or(() -> byUrl.stream().findFirst());
    }

    /**
     * The URL as the agents list it: an http(s) URL with scheme and host lower-cased and its query (a presigned
     * signature) shown as {@code ?…}; an object-store URL as written.
     */
    static String listed(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null || !url.regionMatches(true, 0, "http", 0, 4)) {
                return url;
            }
            return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                    + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getRawPath()
                    + (uri.getRawQuery() == null ? "" : "?…");
        } catch (URISyntaxException e) {
            return url;
        }
    }

    static String clip(String message) {
        return message == null || message.length() <= 1000 ? message : message.substring(0, 1000);
    }
}
