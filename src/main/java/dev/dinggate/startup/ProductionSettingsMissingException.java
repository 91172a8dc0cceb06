package dev.dinggate.startup;

import java.util.List;

/** The production profile was started without settings it cannot run without. */
class ProductionSettingsMissingException extends RuntimeException {

    private final List<String> missing;

    ProductionSettingsMissingException(List<String> missing) {
        super("The production profile is missing: " + String.join("; ", missing));
        this.missing = List.copyOf(missing);
    }

    List<String> missing() {
        return missing;
    }
}
