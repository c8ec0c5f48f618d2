package io.virtfleet.agent.cache;

import io.virtfleet.agent.contract.ImageCredentials;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * An {@link ImageRequest} checked once at the cache's door: the URL parsed and allowed by the {@link SourcePolicy}, the
 * digest normalized. Everything inside the cache works on this, so no part parses or normalizes a request again.
 *
 * @param sha256 the expected digest, lower-case hex; null when the request gave none (read the sidecar)
 */
record ParsedRequest(ImageUrl url, String sha256, ImageCredentials credentials, String tenant) {

    /** Parses the URL, asks the policy, normalizes the digest: in that order, so errors come as they always did. */
    static ParsedRequest of(ImageRequest request, SourcePolicy policy) {
        ImageUrl url = ImageUrl.parse(request.url());
        policy.checkUrl(url);
        String sha256 = request.sha256() == null ? null : Sha256.normalize(request.sha256());
        return new ParsedRequest(url, sha256, request.credentials(), request.tenant());
    }

    /** Requests with the same credentials (or none) may share a download; a hash keeps secrets out of the key. */
    String credentialsKey() {
        if (credentials == null) {
            return "platform";
        }
        byte[] both = (credentials.accessKey() + "\0" + credentials.secretKey()).getBytes(StandardCharsets.UTF_8);
        return HexFormat.of().formatHex(Sha256.newDigest().digest(both));
    }

    /** A prefetch is the same one as long as URL (as given) and digest are. */
    String prefetchKey() {
        return url.text() + " " + (sha256 == null ? "" : sha256);
    }
}
