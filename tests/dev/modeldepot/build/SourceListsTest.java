package dev.modeldepot.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The explicit //SOURCES lists (package-info.java of each package, and each script's list of
 * packages) match lib/ as it is: a remote catalog compiles only the files they name.
 */
class SourceListsTest {
    static final Path REPO = Path.of(System.getProperty("modeldepot.repo", ".")).toAbsolutePath();

    @Test
    void listsMatchTheTree() {
        List<Path> stale = new SourceLists(REPO).stale();
        assertEquals(List.of(), stale, "//SOURCES lists are stale in " + stale + "; fix with:\n  " + SourceLists.FIX + "\n");
    }

    @Test
    void aNewFileAndANewImportAreNoticedAndFixed(@TempDir Path repo) throws Exception {
        Path core = Files.createDirectories(repo.resolve("lib/dev/modeldepot/core"));
        Path store = Files.createDirectories(repo.resolve("lib/dev/modeldepot/store"));
        Files.createDirectories(repo.resolve("scripts"));
        Files.writeString(core.resolve("A.java"), "package dev.modeldepot.core;\n/** uses dev.modeldepot.store.S only in a comment */\npublic class A {}\n");
        Files.writeString(store.resolve("S.java"), "package dev.modeldepot.store;\nimport dev.modeldepot.core.A;\npublic class S {}\n");
        Files.writeString(repo.resolve("scripts/s.java"), "///usr/bin/env jbang \"$0\" \"$@\" ; exit $?\n//JAVA 17+\n"
                + "class S { public static void main(String... a) { new dev.modeldepot.store.S(); } }\n");
        SourceLists lists = new SourceLists(repo);
        assertEquals(3, lists.stale().size(), "two package-info files to create and one script to list them");
        SourceLists.main(repo.toString());
        assertEquals(List.of(), lists.stale());
        String script = Files.readString(repo.resolve("scripts/s.java"));
        assertTrue(script.contains("//SOURCES ../lib/dev/modeldepot/core/package-info.java\n//SOURCES ../lib/dev/modeldepot/store/package-info.java\n"), script);
        assertTrue(Files.readString(core.resolve("package-info.java")).contains("//SOURCES A.java\npackage dev.modeldepot.core;"));

        Files.writeString(core.resolve("B.java"), "package dev.modeldepot.core;\npublic class B {}\n");
        assertEquals(List.of(Path.of("lib/dev/modeldepot/core/package-info.java")), lists.stale());
    }
}
