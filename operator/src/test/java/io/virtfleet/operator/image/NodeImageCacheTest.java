package io.virtfleet.operator.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.virtfleet.agent.contract.CacheEntry;
import io.virtfleet.agent.contract.CacheListing;
import io.virtfleet.agent.contract.PrefetchRequest;
import io.virtfleet.crds.v1alpha1.VirtualMachineImageSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How a catalogue image is found in a node's cache listing, and what a prefetch sends. */
class NodeImageCacheTest {
    private static final String URL = "s3://platform-images/debian-12.qcow2";
    private static final CacheEntry BY_URL = entry("aa", URL);
    private static final CacheEntry OTHER = entry("bb", "s3://platform-images/other.qcow2");
    /** The same URL served newer bytes later: a second entry with it among its sources. */
    private static final CacheEntry UPSTREAM_CHANGED = entry("dd", URL);
    private static final CacheListing LISTING = new CacheListing(0, 0, List.of(OTHER, BY_URL), Map.of("old", "bb"));

    private static CacheEntry entry(String digestByte, String url) {
        return new CacheEntry(digestByte.repeat(32), 100, "qcow2", 1L << 20, "2026-11-30T00:00:00Z", List.of(url),
                false);
    }

    private static VirtualMachineImageSpec spec(String sha256) {
        VirtualMachineImageSpec spec = new VirtualMachineImageSpec();
        spec.setUrl(URL);
        spec.setSha256(sha256);
        return spec;
    }

    @Test
    void byTheSpecsDigestFirstThenThePinnedDigestThenTheUrl() {
        assertThat(NodeImageCache.find(LISTING, spec("bb".repeat(32)), null)).contains(OTHER);
        assertThat(NodeImageCache.find(new CacheListing(0, 0, List.of(OTHER, BY_URL, UPSTREAM_CHANGED), Map.of()),
                spec(null), "dd".repeat(32))).as("the pin picks among the URL's entries").contains(UPSTREAM_CHANGED);
        assertThat(NodeImageCache.find(LISTING, spec(null), null)).as("by URL among the sources").contains(BY_URL);
        assertThat(NodeImageCache.find(LISTING, spec("cc".repeat(32)), null)).as("a digest nothing has").isEmpty();
    }

    /** A new spec.url without a sha256: the entry pinned for the old URL is not the image any more. */
    @Test
    void aPinnedDigestFromAnEarlierUrlIsNotTheImage() {
        String pinnedForOldUrl = "bb".repeat(32);
        assertThat(NodeImageCache.find(LISTING, spec(null), pinnedForOldUrl)).as("the new URL's own entry")
                .contains(BY_URL);
        assertThat(NodeImageCache.find(new CacheListing(0, 0, List.of(OTHER), Map.of("debian-12", pinnedForOldUrl)),
                spec(null), pinnedForOldUrl)).as("the new URL is not cached yet: prefetch it").isEmpty();
    }

    /** The agents list a presigned URL without its query (a credential): the image is still found by it. */
    @Test
    void aPresignedUrlIsFoundInTheFormTheAgentsList() {
        CacheEntry signed = entry("ee", "https://images.example.com:8443/base/debian-12.qcow2?…");
        VirtualMachineImageSpec spec = spec(null);
        spec.setUrl("https://Images.Example.com:8443/base/debian-12.qcow2?X-Amz-Signature=0a1b");
        assertThat(NodeImageCache.find(new CacheListing(0, 0, List.of(OTHER, signed), Map.of()), spec, null))
                .contains(signed);
    }

    @Test
    void anUnpinnedPrefetchLeavesTheFieldOutForOlderAgents() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(json.writeValueAsString(new PrefetchRequest(URL, null, null))).doesNotContain("catalogPin");
        assertThat(json.writeValueAsString(new PrefetchRequest(URL, null, null, "debian-12")))
                .contains("\"catalogPin\":\"debian-12\"");
        assertThat(json.readValue("{\"budgetBytes\":0,\"usedBytes\":0,\"entries\":[]}", CacheListing.class)
                .catalogPins()).as("an older agent's listing").isEmpty();
    }
}
