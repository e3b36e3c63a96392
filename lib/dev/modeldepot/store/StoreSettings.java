package dev.modeldepot.store;

import dev.modeldepot.core.AtomicFiles;
import dev.modeldepot.core.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * store.json: settings that belong to the store, not to one app.
 *
 * @param budgetBytes the size the store should stay under (prune's default target, du's warning); 0 = none
 */
public record StoreSettings(int schema, long budgetBytes) {
    public static final StoreSettings DEFAULT = new StoreSettings(1, 0);

    /** A damaged or missing store.json means defaults: settings never stop the store from working. */
    public static StoreSettings load(Path file) {
        try {
            StoreSettings s = Json.MAPPER.readValue(Files.readAllBytes(file), StoreSettings.class);
            return s == null ? DEFAULT : s;
        } catch (NoSuchFileException e) {
            return DEFAULT;
        } catch (IOException e) {
            return DEFAULT;
        }
    }

    public void save(Path file) throws IOException {
        AtomicFiles.write(file, Json.pretty(this).getBytes(StandardCharsets.UTF_8));
    }

    public StoreSettings withBudget(long bytes) {
        return new StoreSettings(schema, bytes);
    }
}
