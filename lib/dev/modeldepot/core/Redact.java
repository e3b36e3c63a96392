package dev.modeldepot.core;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of everything shown or saved: query strings of (possibly signed) URLs,
 * user-info in URLs, bearer tokens in text.
 */
public final class Redact {
    public static final String MARK = "REDACTED";
    private static final Pattern URL_IN_TEXT = Pattern.compile("(https?://)([^\\s/?#@]+@)?([^\\s?#]*)(\\?[^\\s#]*)?");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+");
    private static final Pattern HF_TOKEN = Pattern.compile("hf_[A-Za-z0-9]{8,}");

    private Redact() {}

    /** A URL safe to show or save: no user-info, and the query (if any) replaced by a mark. */
    public static String url(URI uri) {
        if (uri == null) {
            return null;
        }
        return text(uri.toString());
    }

    /** Redacts every URL query, URL user-info and bearer token found in free text. */
    public static String text(String text) {
        if (text == null) {
            return null;
        }
        String out = URL_IN_TEXT.matcher(text).replaceAll(m -> {
            String query = m.group(4) == null ? "" : "?" + MARK;
            String userInfo = m.group(2) == null ? "" : MARK + "@";
            return java.util.regex.Matcher.quoteReplacement(m.group(1) + userInfo + m.group(3) + query);
        });
        out = BEARER.matcher(out).replaceAll("$1" + MARK);
        return HF_TOKEN.matcher(out).replaceAll(MARK);
    }
}
