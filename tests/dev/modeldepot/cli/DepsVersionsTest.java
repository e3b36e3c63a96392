package dev.modeldepot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The //DEPS of every script and the pom must name the same versions, or JBang and Maven drift apart. */
class DepsVersionsTest {
    static final Path REPO = Path.of(System.getProperty("modeldepot.repo", "."));
    static final Pattern DEPS = Pattern.compile("^//DEPS\\s+([^:\\s]+):([^:\\s]+):([^\\s]+)", Pattern.MULTILINE);
    static final Pattern POM_DEP = Pattern.compile(
            "<groupId>([^<]+)</groupId>\\s*<artifactId>([^<]+)</artifactId>\\s*<version>([^<]+)</version>");
    static final Pattern PROPERTY = Pattern.compile("<([a-zA-Z0-9.-]+)>([^<${}]+)</\\1>");

    static Map<String, String> pomVersions() throws IOException {
        String pom = Files.readString(REPO.resolve("pom.xml"));
        Map<String, String> props = new HashMap<>();
        Matcher p = PROPERTY.matcher(pom);
        while (p.find()) {
            props.put(p.group(1), p.group(2));
        }
        Map<String, String> versions = new HashMap<>();
        Matcher m = POM_DEP.matcher(pom);
        while (m.find()) {
            String v = m.group(3);
            if (v.startsWith("${")) {
                v = props.get(v.substring(2, v.length() - 1));
            }
            versions.put(m.group(1) + ":" + m.group(2), v);
        }
        return versions;
    }

    static List<Path> scripts() throws IOException {
        List<Path> all = new ArrayList<>();
        for (String dir : List.of("scripts", "tui", "lib")) {
            try (Stream<Path> s = Files.walk(REPO.resolve(dir))) {
                s.filter(f -> f.toString().endsWith(".java")).forEach(all::add);
            }
        }
        return all;
    }

    @Test
    void everyDepsLineMatchesThePom() throws IOException {
        Map<String, String> pom = pomVersions();
        List<String> mismatches = new ArrayList<>();
        int seen = 0;
        for (Path script : scripts()) {
            Matcher m = DEPS.matcher(Files.readString(script));
            while (m.find()) {
                seen++;
                String ga = m.group(1) + ":" + m.group(2);
                String expected = pom.get(ga);
                if (!m.group(3).equals(expected)) {
                    mismatches.add(REPO.relativize(script) + ": " + ga + ":" + m.group(3) + " but pom.xml has " + expected);
                }
            }
        }
        assertTrue(seen >= 5, "found the //DEPS lines");
        assertEquals(List.of(), mismatches);
    }

    @Test
    void scriptsAreThinJbangDoors() throws IOException {
        for (String name : List.of("scripts/download-model-with-progress.java", "scripts/verify-model-integrity.java",
                "scripts/check-models.java", "scripts/model-store.java", "tui/model-dashboard.java")) {
            String text = Files.readString(REPO.resolve(name));
            assertTrue(text.startsWith("///usr/bin/env jbang \"$0\" \"$@\" ; exit $?\n"), name + " first line");
            assertTrue(text.contains("//JAVA 17+"), name);
            assertFalse(text.contains("public class"), name + ": a hyphenated script needs a non-public class");
            assertEquals(name.startsWith("tui/"), text.contains("lanterna"), name + ": only the dashboard pulls in Lanterna");
            assertTrue(text.lines().count() < 40, name + " stays a thin door");
        }
    }
}
