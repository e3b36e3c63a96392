package dev.modeldepot.bundle;

/** Names inside a bundle are outside input: relative, no "..", no control characters. */
final class BundleNames {
    private BundleNames() {}

    static String check(String name, String where) {
        String n = name.startsWith("./") ? name.substring(2) : name;
        boolean unsafe = n.isEmpty() || n.length() > 4096 || n.startsWith("/") || n.contains("\\")
                || n.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
        for (String seg : n.split("/", -1)) {
            unsafe |= seg.isEmpty() || seg.equals(".") || seg.equals("..");
        }
        if (unsafe) {
            throw Tar.bad(where + " names an unsafe path '" + n.replaceAll("\\p{Cntrl}", "?") + "'");
        }
        return n;
    }
}
