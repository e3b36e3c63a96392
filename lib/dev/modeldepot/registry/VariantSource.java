package dev.modeldepot.registry;

import dev.modeldepot.core.DepotException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a variant's files come from when the registry does not list them: a Hugging Face
 * repository ({@code hf}) or an OCI registry ({@code oci}). A source is resolved into plain
 * {@link ModelFile}s (url, size, sha256) before anything is installed, so the store never sees it.
 *
 * @param kind     "hf" or "oci"
 * @param repo     "org/name" on the Hub; "host[:port]/name" for OCI
 * @param revision branch, tag or commit on the Hub; tag or "sha256:..." digest for OCI
 * @param include  globs a file must match (all files when empty)
 * @param exclude  globs that drop a file
 * @param pinned   the commit sha or manifest digest it resolved to; null before resolution
 */
public record VariantSource(String kind, String repo, String revision, List<String> include, List<String> exclude, String pinned) {
    public static final String HF = "hf";
    public static final String OCI = "oci";
    private static final Pattern HF_REPO = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?");
    private static final Pattern HF_URI = Pattern.compile("hf://([^/@]+(?:/[^/@]+)?)(?:@([^/]+))?(?:/(.+))?");
    private static final Pattern OCI_URI = Pattern.compile("oci://([^/]+)/([a-z0-9._/-]+?)(?::([A-Za-z0-9_][A-Za-z0-9._-]{0,127}))?(?:@(sha256:[0-9a-f]{64}))?");

    public VariantSource {
        include = include == null ? List.of() : List.copyOf(include);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
    }

    public static boolean isReference(String spec) {
        return spec.startsWith("hf://") || spec.startsWith("oci://");
    }

    /** {@code hf://org/repo[@rev][/path]} or {@code oci://host[:port]/name[:tag|@sha256:…]}; anything else is bad input. */
    public static VariantSource parse(String spec) {
        if (spec.startsWith("hf://")) {
            Matcher m = HF_URI.matcher(spec);
            if (!m.matches() || !HF_REPO.matcher(m.group(1)).matches()) {
                throw DepotException.badInput("'" + spec + "' is not a Hugging Face reference (hf://org/repo[@revision][/path])");
            }
            List<String> include = m.group(3) == null ? List.of() : List.of(m.group(3));
            return new VariantSource(HF, m.group(1), m.group(2) == null ? "main" : m.group(2), include, List.of(), null);
        }
        if (spec.startsWith("oci://")) {
            Matcher m = OCI_URI.matcher(spec);
            if (!m.matches()) {
                throw DepotException.badInput("'" + spec + "' is not an OCI reference (oci://host[:port]/name[:tag|@sha256:digest])");
            }
            String ref = m.group(4) != null ? m.group(4) : m.group(3) != null ? m.group(3) : "latest";
            return new VariantSource(OCI, m.group(1) + "/" + m.group(2), ref, List.of(), List.of(), null);
        }
        throw DepotException.badInput("'" + spec + "' is not an hf:// or oci:// reference");
    }

    static boolean validHfRepo(String repo) {
        return HF_REPO.matcher(repo).matches();
    }

    public boolean isHf() {
        return HF.equals(kind);
    }

    public boolean isOci() {
        return OCI.equals(kind);
    }

    /** The same source with more filters (from --include/--exclude). */
    public VariantSource filtered(List<String> moreInclude, List<String> moreExclude) {
        List<String> in = new java.util.ArrayList<>(include);
        in.addAll(moreInclude == null ? List.of() : moreInclude);
        List<String> ex = new java.util.ArrayList<>(exclude);
        ex.addAll(moreExclude == null ? List.of() : moreExclude);
        return new VariantSource(kind, repo, revision, in, ex, pinned);
    }

    public VariantSource pinnedTo(String commitOrDigest) {
        return new VariantSource(kind, repo, revision, include, exclude, commitOrDigest);
    }

    /** The reference as a user writes it: hf://org/repo@rev, oci://host/name:tag or oci://host/name@sha256:… */
    public String uri() {
        if (isHf()) {
            return "hf://" + repo + "@" + revision;
        }
        return "oci://" + repo + (revision.startsWith("sha256:") ? "@" : ":") + revision;
    }

    /** The repository without revision: hf://org/repo or oci://host/name. */
    public String base() {
        return kind + "://" + repo;
    }

    /** The reference pinned to what it resolved to (the reference itself before resolution). */
    public String pinnedUri() {
        if (pinned == null) {
            return uri();
        }
        return base() + "@" + pinned;
    }

    /** The model id an ad hoc reference gets in the store: "org--repo" lowercased, or the OCI name with "--" for "/". */
    public String modelId() {
        String name = isHf() ? repo : repo.substring(repo.indexOf('/') + 1);
        String id = name.toLowerCase(Locale.ROOT).replace("/", "--").replaceAll("[^a-z0-9._-]", "-");
        return id.replaceAll("^[^a-z0-9]+", "");
    }

    /** The variant id an ad hoc reference gets: the revision (branch or tag), or "digest-…" for a digest. */
    public String variantId() {
        String r = revision.toLowerCase(Locale.ROOT);
        if (r.startsWith("sha256:")) {
            return "digest-" + r.substring(7, 19);
        }
        String id = r.replaceAll("[^a-z0-9._-]", "-").replaceAll("^[^a-z0-9]+", "");
        return id.isEmpty() ? "default" : id;
    }
}
