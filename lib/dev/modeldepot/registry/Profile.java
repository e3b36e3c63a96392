package dev.modeldepot.registry;

import java.util.List;

/** A named selection of models, e.g. "minimal" or "full"; entries are "model" or "model:variant". */
public record Profile(String name, String description, List<String> models) {
    public Profile {
        models = List.copyOf(models);
    }
}
