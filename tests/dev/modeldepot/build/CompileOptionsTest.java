package dev.modeldepot.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The suite is compiled with {@code -XDstringConcat=inline} by Maven and by JBang alike: a string
 * join is a StringBuilder call, not an invokedynamic that makes the JVM spin method handles the
 * first time each shape runs (about 0.06 s of every short command's start; docs/design/distribution.md).
 */
class CompileOptionsTest {
    static final String OPTION = "-XDstringConcat=inline";

    @Test
    void noClassOfTheSuiteJoinsStringsThroughInvokedynamic() throws Exception {
        Path classes = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator)).map(Path::of)
                .filter(p -> Files.isRegularFile(p.resolve("ModelDepotCommands.class"))).findFirst().orElseThrow();
        List<String> indy;
        try (Stream<Path> files = Files.walk(classes)) {
            indy = files.filter(f -> f.toString().endsWith(".class")).filter(CompileOptionsTest::joinsThroughIndy)
                    .map(f -> classes.relativize(f).toString()).sorted().toList();
        }
        assertEquals(List.of(), indy, "compiled without " + OPTION + " (pom.xml's compilerArgs)");
    }

    @Test
    void everyScriptAsksJbangForTheSameOption() throws Exception {
        assertTrue(Files.readString(SourceListsTest.REPO.resolve("pom.xml")).contains("<arg>" + OPTION + "</arg>"), "pom.xml");
        try (Stream<Path> scripts = Files.list(SourceListsTest.REPO.resolve("scripts"))) {
            for (Path s : (Iterable<Path>) scripts.filter(f -> f.toString().endsWith(".java"))::iterator) {
                assertTrue(Files.readAllLines(s).contains("//JAVAC_OPTIONS " + OPTION), s + " lacks //JAVAC_OPTIONS " + OPTION);
            }
        }
    }

    private static boolean joinsThroughIndy(Path classFile) {
        try {
            return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1).contains("makeConcatWithConstants");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
