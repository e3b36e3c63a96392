package dev.modeldepot.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/photo-tagger.java end to end, as a child process against a loopback origin.
 *
 * <p>It is compiled once with javac and run with {@code java} on a class path of only the core's
 * classes and its two dependencies (Jackson, commons-codec), not through JBang: JBang resolves {@code //DEPS dev.modeldepot:model-depot-core} from the local
 * Maven repository, which holds it only after {@code mvn install}, a phase after the tests. The
 * README's JBang run was checked by hand (docs/design/api.md). The //DEPS version is checked
 * against the pom here so the two cannot drift.
 */
class ExampleAppTest {
    static final Path EXAMPLE = Path.of(System.getProperty("modeldepot.repo", ".")).resolve("examples/photo-tagger.java");

    @TempDir
    Path tmp;

    @Test
    void asksThenDownloadsThenChecksTheOnnxFileAndSaysWhatItWouldLoad() throws Exception {
        try (AppRegistry reg = new AppRegistry(tmp, 200_000)) {
            Path store = Files.createDirectories(tmp.resolve("shared-store"));
            Result no = run("n\n", "--model", AppRegistry.MODEL, "--registry", reg.file.toString(), "--cache-dir", store.toString());
            assertEquals(1, no.code, no.toString());
            assertTrue(no.out.contains("model photo-tagger:onnx: missing (the shared store, " + store + ")"), no.out);
            assertTrue(no.out.contains("Download 1 model ("), no.out);
            assertTrue(no.out.contains("? [y/N] Not downloading"), no.out);
            assertEquals(0, reg.origin.requests("/tagger/model.onnx"), "nothing downloaded after 'n'");

            Result yes = run("y\n", "--model", AppRegistry.MODEL, "--registry", reg.file.toString(), "--cache-dir", store.toString(), "beach.jpg");
            assertEquals(0, yes.code, yes.toString());
            assertTrue(yes.out.contains("done photo-tagger:onnx/model.onnx"), yes.out);
            Matcher load = Pattern.compile("would load (\\S+) \\(.*ONNX.*\\)").matcher(yes.out);
            assertTrue(load.find(), yes.out);
            assertArrayEquals(reg.onnx, Files.readAllBytes(Path.of(load.group(1))));
            assertTrue(yes.out.contains("with 3 tags from "), yes.out);
            assertTrue(yes.out.contains("would tag beach.jpg"), yes.out);

            Result again = run("", "--model", AppRegistry.MODEL, "--registry", reg.file.toString(), "--cache-dir", store.toString(), "--yes");
            assertEquals(0, again.code, again.toString());
            assertTrue(again.out.contains(": ready ("), again.out);
            assertFalse(again.out.contains("Download 1 model"), again.out);
        }
    }

    /** core/pom.xml is the installed artifact's pom: its version and dependency versions follow the root pom, and the example's //DEPS follows it. */
    @Test
    void theCorePomTheRootPomAndTheDepsLineAgree() throws Exception {
        Path repo = EXAMPLE.getParent().getParent();
        String core = Files.readString(repo.resolve("core/pom.xml"));
        String root = Files.readString(repo.resolve("pom.xml"));
        for (String tag : List.of("version", "jackson.version", "commons-codec.version")) {
            assertEquals(first(root, tag), first(core, tag), tag);
        }
        assertTrue(Files.readString(EXAMPLE).contains("//DEPS dev.modeldepot:model-depot-core:" + first(core, "version") + "\n"));
        assertFalse(core.contains("<artifactId>picocli") || core.contains("<artifactId>lanterna"), "the core depends on Jackson and commons-codec only");
    }

    private static String first(String pom, String tag) {
        Matcher m = Pattern.compile("<" + Pattern.quote(tag) + ">([^<]+)</" + Pattern.quote(tag) + ">").matcher(pom.replaceAll("(?s)<parent>.*?</parent>", ""));
        assertTrue(m.find(), tag);
        return m.group(1);
    }

    record Result(int code, String out, String err) {}

    private String classPath;

    /** The example on the core's class path only: no picocli, no Lanterna. Compiled on first use. */
    private Result run(String stdin, String... args) throws Exception {
        if (classPath == null) {
            String core = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                    .filter(e -> e.endsWith("classes") && !e.endsWith("test-classes") || e.contains("jackson") || e.contains("commons-codec"))
                    .reduce((a, b) -> a + File.pathSeparator + b).orElseThrow();
            Path classes = Files.createDirectories(tmp.resolve("example-classes"));
            int javac = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), "-cp", core, EXAMPLE.toString());
            assertEquals(0, javac, "the example compiles against the core alone");
            classPath = core + File.pathSeparator + classes;
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, "-Duser.home=" + tmp.resolve("home"), "photo_tagger"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("HF_HUB_CACHE", tmp.resolve("no-hf").toString());
        pb.environment().remove("MODELDEPOT_CACHE");
        pb.redirectError(tmp.resolve("err.txt").toFile());
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the example finished");
        return new Result(p.exitValue(), out, Files.readString(tmp.resolve("err.txt")));
    }
}
