package dev.modeldepot.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.core.DepotException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Headers past ustar's limits: a 20 GB file and a 150-character name need a pax record. */
class TarTest {
    @Test
    void aFileOver8GiBAndALongNameRoundTripThroughAPaxRecord() {
        String name = "models/sdxl/fp16/" + "text_encoder_2/".repeat(8) + "model.fp16.safetensors";
        long size = 20_000_000_000L;
        byte[] header = Tar.fileHeader(name, size, 0);
        assertEquals(3 * Tar.BLOCK, header.length, "pax header, pax data, ustar header");
        Tar.Header pax = Tar.parse(ByteBuffer.wrap(header, 0, Tar.BLOCK), "test");
        assertEquals('x', pax.type());
        String[] pathAndSize = Tar.paxPathAndSize(Arrays.copyOfRange(header, Tar.BLOCK, Tar.BLOCK + (int) pax.size()), "test");
        assertEquals(name, pathAndSize[0]);
        assertEquals(Long.toString(size), pathAndSize[1]);
        Tar.Header file = Tar.parse(ByteBuffer.wrap(header, 2 * Tar.BLOCK, Tar.BLOCK), "test");
        assertEquals('0', file.type());
    }

    @Test
    void aShortNameIsOnePlainUstarHeader() {
        byte[] header = Tar.fileHeader("SHA256SUMS", 123, 0);
        assertEquals(Tar.BLOCK, header.length);
        Tar.Header h = Tar.parse(ByteBuffer.wrap(header), "test");
        assertEquals("SHA256SUMS", h.name());
        assertEquals(123, h.size());
    }

    @Test
    void aDamagedHeaderAndUnsafeNamesAreBadInput() {
        byte[] header = Tar.fileHeader("a.bin", 1, 0);
        header[0] = 'b';
        DepotException e = assertThrows(DepotException.class, () -> Tar.parse(ByteBuffer.wrap(header), "bundle.tar at byte 0"));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        for (String bad : new String[] {"../etc/passwd", "/abs", "a/../../b", "a\u001b]0;x\u0007", ""}) {
            assertThrows(DepotException.class, () -> BundleNames.check(bad, "test"), bad);
        }
        assertEquals("models/a.bin", BundleNames.check("./models/a.bin", "test"));
    }
}
