package io.virtfleet.agent.cache;

/**
 * What the source says about an image before it is downloaded.
 *
 * @param sizeBytes       length of the object; -1 when the server does not say
 * @param etag            entity tag as sent (quoted, maybe weak {@code W/"..."}); null when absent
 * @param lastModified    {@code Last-Modified} as sent; null when absent
 * @param rangesSupported whether the server answers byte ranges (S3 always does)
 */
record RemoteObject(long sizeBytes, String etag, String lastModified, boolean rangesSupported) {

    /** What identifies this version of the object for the URL-keyed fallback; null when the server gives nothing. */
    String validator() {
        if (etag != null) {
            return "etag " + etag;
        }
        return lastModified == null ? null : "last-modified " + lastModified;
    }

    /**
     * The {@code If-Match} value that pins every ranged GET of one download to this version, so that pieces of two
     * versions are never stitched together; null when there is no strong entity tag (weak ones cannot be matched).
     */
    String ifMatch() {
        return etag == null || etag.startsWith("W/") ? null : etag;
    }
}
