package io.virtfleet.agent.api;

import io.javalin.Javalin;
import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.cache.ImageCache;
import io.virtfleet.agent.cache.ImageRequest;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.AgentPaths;
import io.virtfleet.agent.contract.PrefetchRequest;
import io.virtfleet.agent.contract.PrefetchStatus;

/**
 * The image cache's routes: {@code GET /api/v1/cache/images} (listing), {@code GET}/{@code DELETE
 * /api/v1/cache/images/{sha256}} (one entry; evict it: 204, also when absent, 409 ImageInUse while held) and {@code POST
 * /api/v1/cache/prefetch} (200 + Cached when there, 202 + Downloading while it runs; a failure answers 200 + Failed
 * once, and the next POST retries; with {@code catalogPin} the cached image stays pinned under that name) and {@code
 * DELETE /api/v1/cache/pins/{name}} (drop a catalogue pin: 204, also when absent).
 */
final class CacheRoutes {
    private static final String SHA256 = "sha256";
    private static final String CATALOG_IMAGE = "catalogImage";

    private CacheRoutes() {
    }

    static void register(Javalin app, ImageCache cache) {
        String entryPath = AgentPaths.CACHE_IMAGES + "/{" + SHA256 + "}";
        app.get(AgentPaths.CACHE_IMAGES, ctx -> ctx.json(cache.list()));
        app.get(entryPath, ctx -> ctx.json(cache.entry(ctx.pathParam(SHA256)).orElseThrow(() -> AgentException.notFound(
                AgentErrorReasons.IMAGE_NOT_FOUND, "image " + ctx.pathParam(SHA256) + " is not in the cache"))));
        app.delete(entryPath, ctx -> {
            cache.evict(ctx.pathParam(SHA256));
            ctx.status(204);
        });
        app.post(AgentPaths.CACHE_PREFETCH, ctx -> {
            PrefetchRequest request = Requests.body(ctx, PrefetchRequest.class);
            PrefetchStatus status = cache.prefetch(ImageRequest.parse(request.imageUrl(), request.imageSha256(),
                    request.credentials()), request.catalogPin());
            ctx.status(status.phase().equals(PrefetchStatus.DOWNLOADING) ? 202 : 200).json(status);
        });
        app.delete(AgentPaths.CACHE_PINS + "/{" + CATALOG_IMAGE + "}", ctx -> {
            cache.unpinCatalog(ctx.pathParam(CATALOG_IMAGE));
            ctx.status(204);
        });
    }
}
