package dev.modeldepot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of lib/ form layers, one way down (docs/design/architecture.md). A package may use
 * its own layer's package and any lower layer, never a higher one; so there are no cycles either.
 */
class LayeringTest {
    static final Path LIB = DepsVersionsTest.REPO.resolve("lib/dev/modeldepot");

    /** Lowest first. Packages on one line are side by side and may not use each other. */
    static final List<List<String>> LAYERS = List.of(
            List.of("core"),
            List.of("registry"),
            List.of("download"),
            List.of("sources"),
            List.of("verify"),
            List.of("store"),
            List.of("queue", "bundle"),
            List.of("api"),
            List.of("service", "demo"),
            List.of("cli"),
            List.of("tui"));

    static final Pattern REFERENCE = Pattern.compile("\\bdev\\.modeldepot\\.([a-z]+)(?:\\.[a-z]+)*\\.[A-Z]");
    static final Pattern FOREIGN_CLI = Pattern.compile("^import\\s+(static\\s+)?(picocli|com\\.googlecode\\.lanterna)\\.", Pattern.MULTILINE);

    static int layerOf(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(pkg)) {
                return i;
            }
        }
        return -1;
    }

    static Map<Path, String> sources() throws IOException {
        Map<Path, String> all = new java.util.TreeMap<>();
        try (Stream<Path> s = Files.walk(LIB)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                all.put(f, Files.readString(f));
            }
        }
        return all;
    }

    static String topPackage(Path file) {
        return LIB.relativize(file).getName(0).toString();
    }

    @Test
    void everyPackageHasALayer() throws IOException {
        TreeSet<String> unknown = new TreeSet<>();
        for (Path f : sources().keySet()) {
            if (layerOf(topPackage(f)) < 0) {
                unknown.add(topPackage(f));
            }
        }
        assertEquals(new TreeSet<>(), unknown, "packages missing from LAYERS (add them to the layer they belong to)");
    }

    @Test
    void noPackageUsesAHigherOrSiblingLayer() throws IOException {
        List<String> violations = new ArrayList<>();
        for (var e : sources().entrySet()) {
            String pkg = topPackage(e.getKey());
            int mine = layerOf(pkg);
            String code = e.getValue().replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
            Matcher m = REFERENCE.matcher(code);
            TreeSet<String> used = new TreeSet<>();
            while (m.find()) {
                used.add(m.group(1));
            }
            for (String other : used) {
                int theirs = layerOf(other);
                if (!other.equals(pkg) && theirs >= mine) {
                    violations.add(LIB.relativize(e.getKey()) + " (" + pkg + ") uses " + other);
                }
            }
        }
        assertTrue(violations.isEmpty(), "upward or sideways imports:\n" + String.join("\n", violations));
    }

    @Test
    void onlyTheTopLayersKnowPicocliAndLanterna() throws IOException {
        List<String> violations = new ArrayList<>();
        for (var e : sources().entrySet()) {
            String pkg = topPackage(e.getKey());
            if (layerOf(pkg) < layerOf("cli") && FOREIGN_CLI.matcher(e.getValue()).find()) {
                violations.add(LIB.relativize(e.getKey()).toString());
            }
        }
        assertTrue(violations.isEmpty(), "command-line or terminal code below cli:\n" + String.join("\n", violations));
    }

    @Test
    void theCheckSeesAnUpwardImport() {
        Matcher m = REFERENCE.matcher("import dev.modeldepot.cli.Console;");
        assertTrue(m.find());
        assertEquals("cli", m.group(1));
        assertTrue(layerOf("cli") > layerOf("store"), "cli sits above store");
    }

    /** The drawing in docs/design/architecture.md: one line a layer, top first, side-by-side packages after 2+ spaces. */
    @Test
    void theArchitectureDrawingShowsTheseLayers() throws IOException {
        String doc = Files.readString(DepsVersionsTest.REPO.resolve("docs/design/architecture.md"));
        int start = doc.indexOf("```\n") + 4;
        String drawing = doc.substring(start, doc.indexOf("```", start)).strip();
        Pattern name = Pattern.compile("(?:^|\\s{2,})([a-z]+)\\s{2,}");
        List<List<String>> drawn = new ArrayList<>();
        for (String line : drawing.split("\n")) {
            List<String> names = new ArrayList<>();
            Matcher m = name.matcher(line);
            while (m.find()) {
                if (layerOf(m.group(1)) >= 0) {
                    names.add(m.group(1));
                }
            }
            drawn.add(0, names);
        }
        assertEquals(LAYERS, drawn, "the drawing, bottom first, against LAYERS");
        assertTrue(drawing.lines().count() <= 12, "about ten lines: " + drawing.lines().count());
    }
}
