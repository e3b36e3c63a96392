package dev.modeldepot.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hand-written state JSON reads back exactly; an unreadable state means "start over". */
class PartialStateTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsThroughTheFile() throws Exception {
        PartialState s = new PartialState(1, "https://cdn.example/a b\\\"c?REDACTED", "ab".repeat(32), 123_456_789_012L,
                "W/\"etag-with-\\\"quotes\\\"\"", "Sun, 22 Nov 2026 03:49:02 GMT", 8 << 20,
                List.of(new long[] {0, 8 << 20}, new long[] {16 << 20, 20 << 20}), 42);
        Path file = dir.resolve(".m.part.json");
        s.save(file);
        PartialState back = PartialState.load(file);
        assertEquals(s.url(), back.url());
        assertEquals(s.etag(), back.etag());
        assertEquals(s.lastModified(), back.lastModified());
        assertEquals(s.size(), back.size());
        assertEquals(s.segmentSize(), back.segmentSize());
        assertEquals(2, back.completed().size());
        assertArrayEquals(s.completed().get(1), back.completed().get(1));
        assertEquals(12L << 20, back.completedBytes());
        assertEquals(List.of(".m.part.json"), Files.list(dir).map(p -> p.getFileName().toString()).toList(), "no temp file left");
    }

    @Test
    void garbageOrMissingStateIsIgnored() throws Exception {
        Path file = dir.resolve(".m.part.json");
        assertNull(PartialState.load(file));
        Files.writeString(file, "{not json");
        assertNull(PartialState.load(file));
        Files.writeString(file, "{\"version\":99}");
        assertNull(PartialState.load(file));
    }
}
