package dev.dinggate.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A gateway's {@code /actuator/prometheus} answer read as series names and the label names their samples carry. */
public final class PrometheusScrape {

    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][\\w:]*)(?:\\{(.*)\\})?\\s");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"(?:[^\"\\\\]|\\\\.)*\"");
    // Labels Prometheus attaches to every scraped series; the gateway never exports them itself.
    private static final Set<String> TARGET_LABELS = Set.of("namespace", "job", "instance");

    private PrometheusScrape() {}

    /** Each series name of the scrape, with the label names its samples carry. */
    public static Map<String, Set<String>> series(String body) {
        Map<String, Set<String>> series = new TreeMap<>();
        for (String line : body.split("\n")) {
            Matcher sample = SERIES.matcher(line);
            if (!line.startsWith("#") && sample.find()) {
                Set<String> labels = series.computeIfAbsent(sample.group(1), key -> new TreeSet<>());
                Matcher label = LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
                while (label.find()) {
                    labels.add(label.group(1));
                }
            }
        }
        return series;
    }

    /** The used series, and series{label} for labels their matchers test, that the scrape lacks. */
    public static List<String> missing(Map<String, Set<String>> used, Map<String, Set<String>> scraped) {
        List<String> missing = new ArrayList<>();
        used.forEach((name, labels) -> {
            if (!scraped.containsKey(name)) {
                missing.add(name);
            } else {
                labels.stream()
                        .filter(label -> !TARGET_LABELS.contains(label)
                                && !scraped.get(name).contains(label))
                        .forEach(label -> missing.add(name + "{" + label + "}"));
            }
        });
        return missing;
    }
}
