package dev.modeldepot.api;

import java.time.Instant;
import java.util.List;

/**
 * A variant the store holds, as its metadata records it.
 *
 * @param state    "complete", "incomplete" or "installing"
 * @param apps     the apps that pin it (prune keeps pinned variants)
 * @param lastUsed when an app last asked for its path
 */
public record StoredModel(String key, String model, String variant, String name, long size, String state,
                          List<String> apps, Instant downloadedAt, Instant lastUsed) {
    public StoredModel {
        apps = List.copyOf(apps);
    }
}
