package io.virtfleet.agent.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/** An image at an {@code https://} (or allowed {@code http://}) URL. */
final class HttpSource implements ImageSource {
    private final ImageUrl url;
    private final HttpTransport transport;
    private final RedirectRule redirects;

    HttpSource(ImageUrl url, HttpTransport transport, RedirectRule redirects) {
        this.url = url;
        this.transport = transport;
        this.redirects = redirects;
    }

    @Override
    public ImageUrl url() {
        return url;
    }

    @Override
    public Optional<String> readSidecar() throws IOException {
        ImageUrl sidecar = url.sidecar();
        HttpTransport.Answer answer = transport.send("GET", sidecar.uri(), Map.of(), sidecar.toString(), true, redirects);
        try {
            if (answer.status() == 404 || answer.status() == 410) {
                return Optional.empty();
            }
            if (answer.status() != 200) {
                throw HttpTransport.statusFailure(answer.status(), sidecar.toString());
            }
            try (var body = answer.body()) {
                return Optional.of(new String(body.readNBytes(S3Source.MAX_SIDECAR_BYTES), StandardCharsets.UTF_8));
            }
        } finally {
            answer.close();
        }
    }

    @Override
    public RemoteObject stat() throws IOException {
        HttpTransport.Answer answer = transport.send("HEAD", url.uri(), Map.of(), url.toString(), true, redirects);
        try {
            if (answer.status() == 405 || answer.status() == 501) { // no HEAD: learn as we go, one stream from byte 0
                return new RemoteObject(-1, null, null, false);
            }
            if (answer.status() != 200) {
                throw HttpTransport.statusFailure(answer.status(), url.toString());
            }
            return new RemoteObject(answer.contentLength(), answer.header("ETag"), answer.header("Last-Modified"),
                    "bytes".equalsIgnoreCase(answer.header("Accept-Ranges")));
        } finally {
            answer.close();
        }
    }

    @Override
    public HttpTransport.Body open(RemoteObject object, long start, long endExclusive) throws IOException {
        return transport.openRange(url.uri(), object, start, endExclusive, url.toString(), true, redirects);
    }
}
