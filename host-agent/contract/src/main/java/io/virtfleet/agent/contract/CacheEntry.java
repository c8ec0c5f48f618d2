package io.virtfleet.agent.contract;

import java.util.List;

/**
 * One image in an agent's cache ({@code GET /api/v1/cache/images}).
 *
 * @param sha256           SHA-256 of the file as stored (the image in its own format, e.g. compressed qcow2)
 * @param sizeBytes        size of that file
 * @param format           image format read from its header: {@code qcow2}, {@code vmdk}, {@code vhdx}, {@code vdi},
 *                         {@code qed}, else {@code raw}
 * @param virtualSizeBytes size of the disk the image describes; null when the format's header does not say
 * @param lastUsed         when a fetch last used it (RFC 3339); least recently used entries are evicted first
 * @param sourceUrls       where it was downloaded from, without query strings or user info
 * @param inUse            true while a volume is being populated from it or a download or verification holds it;
 *                         such an entry is never evicted
 */
public record CacheEntry(String sha256, long sizeBytes, String format, Long virtualSizeBytes, String lastUsed,
                         List<String> sourceUrls, boolean inUse) {
}
