package dev.modeldepot.service;

import java.util.Map;

/** Lets tests in other packages ask the service whether it would refuse downloads. */
public final class ServiceSwitchProbe {
    private ServiceSwitchProbe() {}

    public static boolean refuses(Map<String, String> env) {
        return DownloadService.disabledReason(env) != null;
    }
}
