package dev.modeldepot.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modeldepot.store.StoreLocation.Os;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreLocationTest {
    @Test
    void linuxUsesXdgCacheHomeElseDotCache() {
        assertEquals("/x/cache/modeldepot/models", StoreLocation.resolveText(Os.LINUX, Map.of("XDG_CACHE_HOME", "/x/cache"), "/home/u"));
        assertEquals("/home/u/.cache/modeldepot/models", StoreLocation.resolveText(Os.LINUX, Map.of(), "/home/u"));
        assertEquals("/home/u/.cache/modeldepot/models",
                StoreLocation.resolveText(Os.LINUX, Map.of("XDG_CACHE_HOME", "relative/dir"), "/home/u"), "relative XDG values are ignored");
    }

    @Test
    void macUsesApplicationSupportNotCaches() {
        assertEquals("/Users/u/Library/Application Support/modeldepot/models", StoreLocation.resolveText(Os.MAC, Map.of(), "/Users/u"));
    }

    @Test
    void windowsUsesLocalAppDataNotRoamingAppData() {
        assertEquals("C:\\Users\\u\\AppData\\Local\\modeldepot\\models",
                StoreLocation.resolveText(Os.WINDOWS, Map.of("LOCALAPPDATA", "C:\\Users\\u\\AppData\\Local", "APPDATA", "C:\\Users\\u\\AppData\\Roaming"), "C:\\Users\\u"));
        assertEquals("C:\\Users\\u\\AppData\\Local\\modeldepot\\models", StoreLocation.resolveText(Os.WINDOWS, Map.of(), "C:\\Users\\u"));
    }

    @Test
    void modeldepotCacheOverridesEveryPlatform() {
        for (Os os : Os.values()) {
            assertEquals("/srv/models", StoreLocation.resolveText(os, Map.of("MODELDEPOT_CACHE", "/srv/models", "XDG_CACHE_HOME", "/x"), "/home/u"));
        }
    }
}
