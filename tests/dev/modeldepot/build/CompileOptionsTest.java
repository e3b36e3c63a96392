package dev.modeldepot.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * The suite is compiled with {@code -XDstringConcat=inline} by Maven and by JBang alike: a string
 * join is a StringBuilder call, not an invokedynamic that makes the JVM spin method handles the
 * first time each shape runs (a tiny {@code --url} download starts ~0.06 s sooner;
 * docs/design/distribution.md). The bytecode check is the guard: javac accepts any {@code -XD}
 * key silently, so only the class files show whether the option took.
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
    void everyScriptAsksJbangForTheSameOptionAsThePom() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(SourceListsTest.REPO.resolve("pom.xml").toFile());
        XPath xpath = XPathFactory.newInstance().newXPath();
        NodeList args = (NodeList) xpath.evaluate(
                "//*[local-name()='plugin'][*[local-name()='artifactId']='maven-compiler-plugin']"
                        + "/*[local-name()='configuration']/*[local-name()='compilerArgs']/*[local-name()='arg']",
                pom, XPathConstants.NODESET);
        List<String> compilerArgs = new ArrayList<>();
        for (int i = 0; i < args.getLength(); i++) {
            compilerArgs.add(args.item(i).getTextContent().trim());
        }
        assertTrue(compilerArgs.contains(OPTION), "maven-compiler-plugin's compilerArgs: " + compilerArgs);
        try (Stream<Path> scripts = Files.list(SourceListsTest.REPO.resolve("scripts"))) {
            for (Path s : (Iterable<Path>) scripts.filter(f -> f.toString().endsWith(".java"))::iterator) {
                assertTrue(Files.readAllLines(s).contains("//JAVAC_OPTIONS " + OPTION), s + " lacks //JAVAC_OPTIONS " + OPTION);
            }
        }
    }

    private static boolean joinsThroughIndy(Path classFile) {
        try {
            return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1).contains("makeConcatWithConstants");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
