package dev.modeldepot.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modeldepot.download.DownloadSettings;
import dev.modeldepot.service.ServiceSwitchProbe;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 10, low: DISABLE_MODEL_DOWNLOADS means the same to the engine and to the service (once, "=on" did not). */
class DownloadSwitchTest {
    @Test
    void engineAndServiceAgreeOnEveryValue() {
        for (String on : new String[] {"1", "on", "ON", "true", "yes", " Yes ", "please"}) {
            Map<String, String> env = Map.of(DownloadSwitch.VARIABLE, on);
            assertEquals(true, DownloadSwitch.disabled(env), on);
            assertEquals(true, DownloadSettings.defaults(env).disabled(), "engine, " + on);
            assertEquals(true, ServiceSwitchProbe.refuses(env), "service, " + on);
        }
        for (String off : new String[] {"", " ", "0", "off", "false", "no", "NO"}) {
            Map<String, String> env = Map.of(DownloadSwitch.VARIABLE, off);
            assertEquals(false, DownloadSwitch.disabled(env), "'" + off + "'");
            assertEquals(false, DownloadSettings.defaults(env).disabled(), "engine, '" + off + "'");
            assertEquals(false, ServiceSwitchProbe.refuses(env), "service, '" + off + "'");
        }
        assertEquals(false, DownloadSwitch.disabled(Map.of()));
    }
}
