package dev.modeldepot.sources;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Include/exclude filtering the way huggingface_hub does it: fnmatch patterns in which {@code *}
 * also crosses {@code /}, and a pattern ending in {@code /} means everything under that folder.
 */
final class Globs {
    private Globs() {}

    static boolean selected(String path, List<String> include, List<String> exclude) {
        if (!include.isEmpty() && include.stream().noneMatch(g -> matches(g, path))) {
            return false;
        }
        return exclude.stream().noneMatch(g -> matches(g, path));
    }

    static boolean matches(String glob, String path) {
        return toRegex(glob.endsWith("/") ? glob + "*" : glob).matcher(path).matches();
    }

    private static Pattern toRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[') {
                int end = glob.indexOf(']', i + 2);
                if (end < 0) {
                    re.append("\\[");
                } else {
                    String set = glob.substring(i + 1, end);
                    boolean negate = set.startsWith("!");
                    String body = (negate ? set.substring(1) : set).replace("\\", "\\\\").replace("[", "\\[").replace("&&", "&\\&");
                    re.append('[').append(negate ? "^" : "").append(body).append(']');
                    i = end;
                }
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
