package io.virtfleet.agent.cache;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentException.Kind;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may receive a cached image: a tenant proves it can read a verified source with its own credentials (see
 * {@link ImageCache}); requests share a download only when they use the same credentials.
 */
final class Readers {
    private static final Logger LOG = LoggerFactory.getLogger(ImageCache.class);

    private Readers() {
    }

    /** Whether the requester can read its URL with its own credentials; a refusal is ImageNotAuthorized. */
    static boolean statAsRequester(Sources sources, ImageSource source, String sha256, String tenant) {
        try {
            sources.retrying(source.url(), "stat " + source.url(), source::stat);
            LOG.info("image cache reader authorized url={} sha256={} tenant={}", source.url(), sha256, tenant);
            return true;
        } catch (AgentException e) {
            if (AgentErrorReasons.DOWNLOAD_FAILED.equals(e.reason()) && e.getCause() instanceof IOException
                    || AgentErrorReasons.SOURCE_NOT_ALLOWED.equals(e.reason())) {
                throw e; // unreachable, or a URL the agent refuses anyway: not a question of this reader's access
            }
            LOG.warn("image cache reader refused url={} sha256={} tenant={} reason={}", source.url(), sha256, tenant,
                    e.reason());
            throw new AgentException(Kind.CONFLICT, AgentErrorReasons.IMAGE_NOT_AUTHORIZED, "image " + source.url()
                    + " is cached on this node, but its source does not let this requester read it: " + e.getMessage(),
                    e);
        }
    }
}
