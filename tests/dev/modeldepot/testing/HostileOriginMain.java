package dev.modeldepot.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The hostile origin of bench/hostile-bench.sh as a program: serves every behaviour of
 * docs/design/security.md on one port, writes the port to the file named by the first argument,
 * and runs until killed.
 * <pre>
 * /endless        64 kB repeated forever, no Content-Length, no ranges
 * /trickle        1 byte every 100 ms (never silent, 10 B/s)
 * /dropper        4 MiB without ranges, every response dies after 1 MiB
 * /headers        600 kB of response headers
 * /to-file        302 to file:///etc/passwd
 * /retry-after    503 with Retry-After: 20, forever
 * /huge-range     Content-Range total 99999999999999999999
 * </pre>
 */
public final class HostileOriginMain {
    private HostileOriginMain() {}

    public static void main(String[] args) throws Exception {
        FaultOrigin origin = FaultOrigin.start();
        origin.serve("/endless", FaultOrigin.randomBytes(64 * 1024, 1)).endless(true);
        origin.serve("/trickle", FaultOrigin.randomBytes(256 * 1024, 2)).trickle(1, 100);
        origin.serve("/dropper", FaultOrigin.randomBytes(4 << 20, 3)).ignoreRange(true).dropAfter(1 << 20, Integer.MAX_VALUE);
        origin.serve("/headers", FaultOrigin.randomBytes(1000, 4)).headerPadding(600 * 1024);
        origin.serve("/to-file", new byte[0]).rawLocation("file:///etc/passwd");
        origin.serve("/retry-after", FaultOrigin.randomBytes(1000, 5)).failWith(503, Integer.MAX_VALUE, "20");
        origin.serve("/huge-range", FaultOrigin.randomBytes(1000, 6)).contentRangeTotal("99999999999999999999");
        Files.writeString(Path.of(args[0]), String.valueOf(origin.port()));
        Thread.currentThread().join();
    }
}
