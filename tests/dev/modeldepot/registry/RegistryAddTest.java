package dev.modeldepot.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.modeldepot.cli.ModelStoreCommand;
import dev.modeldepot.testing.Run;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;
import org.apache.commons.codec.binary.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryAddTest {
    @Test
    void measuresALocalFileAndAppendsAValidEntry(@TempDir Path dir) throws Exception {
        byte[] bytes = new byte[3_000_000];
        new Random(7).nextBytes(bytes);
        Path file = dir.resolve("model.gguf");
        Files.write(file, bytes);
        String sha = Hex.encodeHexString(MessageDigest.getInstance("SHA-256").digest(bytes));
        Path registry = dir.resolve("r.json");
        Files.writeString(registry, "{\"schemaVersion\":1,\"models\":[]}");

        Run run = Run.of(new ModelStoreCommand(), "--registry", registry.toString(), "registry", "add",
                "--file", file.toString(), "--model", "my-llm", "--variant", "q4", "--path", "weights/model.gguf", "--role", "weights");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains(sha), run.out());
        Registry r = RegistryLoader.load(registry.toString(), true);
        ModelFile f = r.resolve("my-llm:q4").variant().files().get(0);
        assertEquals("weights/model.gguf", f.path());
        assertEquals(bytes.length, f.size());
        assertEquals(sha, f.sha256());
        assertEquals("gguf", f.format());

        Run again = Run.of(new ModelStoreCommand(), "--registry", registry.toString(), "registry", "add",
                "--file", file.toString(), "--model", "my-llm", "--variant", "q4", "--path", "weights/model.gguf");
        assertEquals(2, again.exitCode(), "a duplicate path is refused: " + again.err());
        assertEquals(1, RegistryLoader.load(registry.toString(), true).resolve("my-llm:q4").variant().files().size());
    }

    @Test
    void measuresARemoteFileWithoutSavingItsSignedQuery(@TempDir Path dir) throws Exception {
        byte[] bytes = new byte[1_500_000];
        new Random(8).nextBytes(bytes);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/m.bin", ex -> {
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/m.bin?X-Amz-Signature=topsecret";
            Run run = Run.of(new ModelStoreCommand(), "registry", "add", "--url", url);
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(run.out().contains(Hex.encodeHexString(MessageDigest.getInstance("SHA-256").digest(bytes))), run.out());
            assertTrue(run.out().contains("\"size\" : " + bytes.length), run.out());
            assertTrue(!run.out().contains("topsecret") && !run.err().contains("topsecret"), "signed query never shown");
        } finally {
            server.stop(0);
        }
    }
}
