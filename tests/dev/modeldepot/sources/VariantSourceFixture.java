package dev.modeldepot.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;

final class VariantSourceFixture {
    private VariantSourceFixture() {}

    /** Our git blob sha1 must equal the stand-in's (written independently, as git defines it). */
    static void assertGitSha1(byte[] bytes, String expected) {
        assertEquals(expected, HfHub.gitBlobSha1(bytes));
        // git hash-object of "hello\n" is ce013625030ba8dba906f756967f9e9ca394464a
        assertEquals("ce013625030ba8dba906f756967f9e9ca394464a", HfHub.gitBlobSha1("hello\n".getBytes()));
    }
}
