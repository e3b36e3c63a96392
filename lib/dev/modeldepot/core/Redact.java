package dev.modeldepot.core;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that keeps secrets out of everything shown or saved (output, --json, state files,
 * store metadata, queue file, service log and answers): the user-info and query of every URL in
 * any scheme and any letter case, signed-URL parameters even outside a URL, bearer tokens and
 * Hugging Face tokens in free text. Over-redacting is preferred to leaking.
 */
public final class Redact {
    public static final String MARK = "REDACTED";
    /**
     * scheme://authority path ?query. The scheme is any RFC 3986 scheme in any case (HTTP://,
     * ftp://, s3://); the authority runs to the first '/', '?', '#' or space, so user-info with an
     * '@' inside the password ("bob:p@ss@host") is taken up to its last '@'.
     */
    private static final Pattern URL_IN_TEXT = Pattern.compile(
            "(?i)\\b([a-z][a-z0-9+.-]*://)([^\\s/?#]*)([^\\s?#]*)(\\?[^\\s#]*)?(#\\S*)?");
    /** Signed-URL and credential parameters that may appear without their URL (a header, a query fragment). */
    private static final Pattern SIGNED_PARAM = Pattern.compile(
            "(?i)\\b(x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential"
                    + "|signature|sig|access_token|token|api_key|apikey|key-pair-id|policy)=([^\\s&#\"']+)");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+");
    private static final Pattern HF_TOKEN = Pattern.compile("hf_[A-Za-z0-9]{8,}");
    private static final Pattern PORT = Pattern.compile(":\\d*$");

    private Redact() {}

    /** A URL safe to show or save: no user-info, and the query (if any) replaced by a mark. */
    public static String url(URI uri) {
        if (uri == null) {
            return null;
        }
        return text(uri.toString());
    }

    /** Redacts every URL's user-info and query, signed parameters, bearer and HF tokens found in free text. */
    public static String text(String text) {
        if (text == null) {
            return null;
        }
        String out = URL_IN_TEXT.matcher(text).replaceAll(m -> Matcher.quoteReplacement(redactUrl(m)));
        out = SIGNED_PARAM.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(2).equals(MARK) ? m.group() : m.group(1) + "=" + MARK));
        out = BEARER.matcher(out).replaceAll("$1" + MARK);
        return HF_TOKEN.matcher(out).replaceAll(MARK);
    }

    private static String redactUrl(java.util.regex.MatchResult m) {
        String scheme = m.group(1);
        String authority = m.group(2);
        String path = m.group(3);
        String query = m.group(4) == null ? "" : "?" + MARK;
        String fragment = m.group(5) == null ? "" : "#" + MARK;
        int at = authority.lastIndexOf('@');
        String host = at >= 0 ? authority.substring(at + 1) : authority;
        if (at < 0 && host.contains(":") && !host.startsWith("[") && !PORT.matcher(host).find()) {
            // "user:pa/ss@host": a '/' in the password ended the authority early. Hide through the last '@'.
            int lastAt = path.lastIndexOf('@');
            if (lastAt >= 0) {
                return scheme + MARK + "@" + path.substring(lastAt + 1) + query + fragment;
            }
            return scheme + MARK + "@" + query + fragment;
        }
        return scheme + (at >= 0 ? MARK + "@" : "") + host + path + query + fragment;
    }
}
