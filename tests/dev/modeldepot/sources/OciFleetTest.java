package dev.modeldepot.sources;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.cli.CommonOptions;
import dev.modeldepot.cli.DownloadCommand;
import dev.modeldepot.cli.ModelStoreCommand;
import dev.modeldepot.testing.DistributionRegistry;
import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.testing.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lab pushes a model once to its own registry (the real docker-registry), and a fleet pulls it
 * through a second docker-registry in pull-through (proxy) mode: the origin serves each blob once.
 */
class OciFleetTest {
    @TempDir
    Path dir;
    byte[] weights = FaultOrigin.randomBytes(3 << 20, 11);
    byte[] mmproj = FaultOrigin.randomBytes(400_000, 12);

    Run download(Path store, Path registry, String... refs) {
        DownloadCommand cmd = new DownloadCommand();
        cmd.common = new CommonOptions();
        cmd.common.env = Map.of();
        cmd.installSignalHook = false;
        List<String> args = new ArrayList<>(List.of("--registry", registry.toString(), "--cache-dir", store.toString(), "-q"));
        args.addAll(List.of(refs));
        return Run.of(cmd, args.toArray(String[]::new));
    }

    @Test
    void pushOnceThenTwoStoresPullThroughTheCacheAndTheOriginServesEachBlobOnce() throws Exception {
        Path registry = dir.resolve("registry.json");
        try (FaultOrigin web = FaultOrigin.start();
             DistributionRegistry origin = DistributionRegistry.start(dir.resolve("origin"), null);
             DistributionRegistry cache = DistributionRegistry.start(dir.resolve("cache"), null == null ? originUrl(origin) : null)) {
            web.serve("/tiny.Q4_K_M.gguf", weights);
            web.serve("/mmproj.gguf", mmproj);
            Files.writeString(registry, """
                    {"schemaVersion":1,"models":[{"id":"tiny","name":"Tiny","variants":[{"id":"q4","files":[
                      {"path":"tiny.Q4_K_M.gguf","url":"%s","size":%d,"sha256":"%s","role":"weights"},
                      {"path":"mmproj.gguf","url":"%s","size":%d,"sha256":"%s","role":"mmproj"}]}]}]}
                    """.formatted(web.url("/tiny.Q4_K_M.gguf"), weights.length, FaultOrigin.sha256(weights),
                    web.url("/mmproj.gguf"), mmproj.length, FaultOrigin.sha256(mmproj)));
            Path lab = dir.resolve("lab-store");
            assertEquals(0, download(lab, registry, "tiny").exitCode());

            String target = "oci://" + origin.hostPort() + "/acme/tiny:q4";
            Run push = Run.of(new ModelStoreCommand(), "--registry", registry.toString(), "--cache-dir", lab.toString(), "push", target, "tiny:q4");
            assertEquals(0, push.exitCode(), push.err());
            assertTrue(push.out().contains("2 blobs uploaded, 0 already there"), push.out());
            Run again = Run.of(new ModelStoreCommand(), "--registry", registry.toString(), "--cache-dir", lab.toString(), "push", target, "tiny:q4");
            assertEquals(0, again.exitCode(), again.err());
            assertTrue(again.out().contains("0 blobs uploaded, 2 already there"), again.out());

            String viaCache = "oci://" + cache.hostPort() + "/acme/tiny:q4";
            List<String> blobUris = List.of(weights, mmproj).stream().map(b -> "/v2/acme/tiny/blobs/sha256:" + FaultOrigin.sha256(b)).toList();
            long[] afterFirst = new long[blobUris.size()];
            for (String machine : List.of("machine-a", "machine-b")) {
                Path store = dir.resolve(machine);
                Run r = download(store, registry, viaCache);
                assertEquals(0, r.exitCode(), r.err());
                Path folder = store.resolve("models/acme--tiny/q4");
                assertArrayEquals(weights, Files.readAllBytes(folder.resolve("tiny.Q4_K_M.gguf")), "the layer title is the file path");
                assertArrayEquals(mmproj, Files.readAllBytes(folder.resolve("mmproj.gguf")));
                assertTrue(Files.readString(store.resolve("meta/acme--tiny/q4.json")).contains("\"role\" : \"mmproj\""));
                for (int i = 0; i < blobUris.size(); i++) {
                    long fetched = origin.requests("GET", blobUris.get(i));
                    if (machine.equals("machine-a")) {
                        // The cache fetched it from the origin for the first machine. (2.8.2's proxy does not merge
                        // concurrent misses, so the engine's parallel range requests can each cause one fetch.)
                        assertTrue(fetched >= 1, blobUris.get(i));
                        afterFirst[i] = fetched;
                    } else {
                        assertEquals(afterFirst[i], fetched, "the second machine was served " + blobUris.get(i) + " by the cache alone");
                    }
                }
            }

            Run unknownTag = download(dir.resolve("machine-c"), registry, "oci://" + cache.hostPort() + "/acme/tiny:q9");
            assertEquals(2, unknownTag.exitCode(), unknownTag.err());
            assertTrue(unknownTag.err().contains("has no tag 'q9' for acme/tiny"), unknownTag.err());
            Run unknownDigest = download(dir.resolve("machine-c"), registry, "oci://" + origin.hostPort() + "/acme/tiny@sha256:" + "0".repeat(64));
            assertEquals(2, unknownDigest.exitCode(), unknownDigest.err());
            assertTrue(unknownDigest.err().contains("has no manifest sha256:"), unknownDigest.err());
        }
    }

    private static java.net.URI originUrl(DistributionRegistry origin) {
        return origin.url();
    }
}
