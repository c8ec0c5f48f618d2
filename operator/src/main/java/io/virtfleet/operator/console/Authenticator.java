package io.virtfleet.operator.console;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Who is asking, the two ways an extension API server learns it:
 * <ul>
 *   <li>through the aggregation layer: the kube-apiserver connects with its front-proxy client certificate and names
 *   the user it authenticated in {@code X-Remote-User}, {@code X-Remote-Group} and {@code X-Remote-Extra-*}. Those
 *   headers are believed only on a connection whose client certificate the TLS handshake accepted, i.e. one that
 *   chains to the requestheader CA and carries the allowed proxy name; anywhere else they are ignored;</li>
 *   <li>a bearer token, checked with a {@code TokenReview} (the local stack, or clients that reach the gateway directly).</li>
 * </ul>
 */
final class Authenticator {
    static final String USER_HEADER = "X-Remote-User";
    static final String GROUP_HEADER = "X-Remote-Group";
    static final String EXTRA_PREFIX = "X-Remote-Extra-";
    private static final String CERTIFICATES = "jakarta.servlet.request.X509Certificate";
    private static final String BEARER = "Bearer ";

    private final KubernetesClient client;
    private final boolean frontProxy;

    /** @param frontProxy whether the TLS layer accepts the front proxy's client certificates at all */
    Authenticator(KubernetesClient client, boolean frontProxy) {
        this.client = client;
        this.frontProxy = frontProxy;
    }

    Identity authenticate(Context ctx) {
        X509Certificate[] chain = (X509Certificate[]) ctx.req().getAttribute(CERTIFICATES);
        if (frontProxy && chain != null && chain.length > 0) {
            return fromProxyHeaders(ctx);
        }
        String authorization = ctx.header("Authorization");
        if (authorization == null || !authorization.startsWith(BEARER) || authorization.length() == BEARER.length()) {
            throw GatewayException.unauthorized("authenticate through the Kubernetes API (kubectl virtfleet) or with"
                    + " Authorization: Bearer <token>");
        }
        return fromToken(authorization.substring(BEARER.length()).strip());
    }

    private static Identity fromProxyHeaders(Context ctx) {
        String user = ctx.header(USER_HEADER);
        if (user == null || user.isBlank()) {
            throw GatewayException.unauthorized("the front proxy named no user");
        }
        List<String> groups = Collections.list(ctx.req().getHeaders(GROUP_HEADER));
        Map<String, List<String>> extra = new LinkedHashMap<>();
        for (String header : Collections.list(ctx.req().getHeaderNames())) {
            if (header.regionMatches(true, 0, EXTRA_PREFIX, 0, EXTRA_PREFIX.length())) {
                String key = URLDecoder.decode(header.substring(EXTRA_PREFIX.length()), StandardCharsets.UTF_8)
                        .toLowerCase(Locale.ROOT);
                extra.put(key, Collections.list(ctx.req().getHeaders(header)));
            }
        }
        return new Identity(user, null, groups, extra);
    }

    private Identity fromToken(String token) {
        TokenReview answer = client.authentication().v1().tokenReviews()
                .create(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build());
        if (answer == null || answer.getStatus() == null || !Boolean.TRUE.equals(answer.getStatus().getAuthenticated())
                || answer.getStatus().getUser() == null) {
            String why = answer == null || answer.getStatus() == null ? null : answer.getStatus().getError();
            throw GatewayException.unauthorized("the token is not valid" + (why == null ? "" : ": " + why));
        }
        UserInfo user = answer.getStatus().getUser();
        return new Identity(user.getUsername(), user.getUid(), user.getGroups() == null ? List.of() : user.getGroups(),
                user.getExtra() == null ? Map.of() : user.getExtra());
    }
}
