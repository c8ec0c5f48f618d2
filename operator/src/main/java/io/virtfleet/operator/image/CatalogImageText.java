package io.virtfleet.operator.image;

import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.crds.v1alpha1.ConditionedStatus;
import io.virtfleet.operator.status.Outcome;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a tenant reads about a catalogue image: its name, never the platform's URL nor its credentials Secret. The one
 * place that turns texts about a catalogue image (the agents' errors, a missing Secret) into what a RootVolume built
 * from it shows in its conditions, and so in its Events and its VM's status; the operator's log keeps the detail.
 * Every form in which an agent prints the URL is replaced: as given, {@code s3://} or {@code minio://} with the same
 * bucket and key, the bare {@code bucket/key}, an https URL without its query ({@code ?…}) or with a lower-cased host,
 * the {@code .sha256} sidecar of each, and a query (a presigned signature) on its own.
 */
public final class CatalogImageText {
    private static final CatalogImageText UNCHANGED = new CatalogImageText(null, List.of());

    private final String name;
    /** Longest first: the URL as given, then its forms; group 1 (when present) marks the sidecar. */
    private final List<Pattern> forms;

    private CatalogImageText(String name, List<Pattern> forms) {
        this.name = name;
        this.forms = forms;
    }

    /** For a RootVolume built from catalogue image {@code name}, whose platform URL is {@code url}. */
    public static CatalogImageText of(String name, String url) {
        List<Pattern> forms = new ArrayList<>();
        forms.add(Pattern.compile(Pattern.quote(url) + "(\\.sha256)?", Pattern.CASE_INSENSITIVE));
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("s3://") || lower.startsWith("minio://")) {
            forms.add(Pattern.compile("(?:\\b(?:s3|minio)://|/)?" + Pattern.quote(url.substring(url.indexOf("://") + 3))
                    + "(\\.sha256)?", Pattern.CASE_INSENSITIVE));
        } else {
            httpForms(url).forEach(forms::add);
        }
        return new CatalogImageText(name, List.copyOf(forms));
    }

    /** For a URL image: the tenant wrote the URL, so the texts stay as they are. */
    public static CatalogImageText unchanged() {
        return UNCHANGED;
    }

    /** {@code text} with the image's name wherever it named the platform's URL. */
    public String forTenant(String text) {
        if (name == null || text == null) {
            return text;
        }
        String result = text;
        for (Pattern form : forms) {
            Matcher matcher = form.matcher(result);
            result = matcher.replaceAll(m -> Matcher.quoteReplacement(m.groupCount() > 0 && m.group(1) != null
                    && !m.group(1).isEmpty() ? "the checksum file of catalogue image " + name
                    : "catalogue image " + name));
        }
        // "image s3://..." reads "image catalogue image x": one "image" is enough.
        return result.replaceAll("\\b(?i:image) (catalogue image |the checksum file of catalogue image )", "$1");
    }

    /**
     * A reconcile's conclusion and every condition of its status in the tenant's words: the one step through which
     * they go to the API (conditions, Events, the VM's status that copies them).
     */
    public <P extends Enum<P>> Outcome<P> forTenant(ConditionedStatus status, Outcome<P> outcome) {
        status.getConditions().forEach(c -> c.setMessage(forTenant(c.getReason(), c.getMessage())));
        return outcome.withMessage(forTenant(outcome.reason(), outcome.message()));
    }

    /**
     * As {@link #forTenant(String)}; an agent's refusal to read the image with its own keys lists the platform's
     * prefixes and setting, which are the platform's business: the tenant reads whom to ask.
     */
    private String forTenant(String reason, String text) {
        if (name != null && AgentErrorReasons.SOURCE_NOT_ALLOWED.equals(reason)) {
            return "the agents may not read catalogue image " + name + " with their own object-store keys; ask the "
                    + "platform team";
        }
        return forTenant(text);
    }

    /** The tenant's message for a missing or unreadable credentials Secret, which is the platform's to name. */
    public String credentialsUnavailable() {
        return "the catalogue image " + name + "'s credentials are not available; ask the platform team";
    }

    /** scheme://host[:port]/path with or without its query, and the query alone; nothing for an unparsable URL. */
    private static List<Pattern> httpForms(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return List.of();
        }
        if (uri.getHost() == null || uri.getRawPath() == null) {
            return List.of();
        }
        List<Pattern> forms = new ArrayList<>();
        forms.add(Pattern.compile("(?:\\bhttps?://)?" + Pattern.quote(uri.getHost()) + "(?::\\d+)?"
                + Pattern.quote(uri.getRawPath()) + "(\\.sha256)?(?:\\?[^\\s)]*)?", Pattern.CASE_INSENSITIVE));
        if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
            forms.add(Pattern.compile(Pattern.quote(uri.getRawQuery()) + "()"));
        }
        return forms;
    }
}
