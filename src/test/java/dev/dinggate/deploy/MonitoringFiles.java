package dev.dinggate.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The alert rules and the Grafana dashboard that operators get, read as the tests need them: the
 * PromQL they contain, and the series and label names that PromQL uses.
 */
public final class MonitoringFiles {

    public static final Path RULES = Path.of("docs/alerts/dingtalk-gateway-rules.yaml");
    public static final Path RULE_TESTS = Path.of("docs/alerts/dingtalk-gateway-rules-test.yaml");
    public static final Path DASHBOARD = Path.of("docs/grafana/dingtalk-gateway.json");
    public static final Path CHART_DASHBOARD = Path.of("helm/dingtalk-gateway/dashboards/dingtalk-gateway.json");
    public static final Path RUNBOOK = Path.of("docs/runbook.md");

    // Strings go first: a label value may hold any of the characters the later patterns look for.
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*+\"|'(?:[^'\\\\]|\\\\.)*+'|`[^`]*+`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*\\}");
    // Ranges, subqueries and Grafana's $__rate_interval, which sits inside them.
    private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*\\]");
    private static final Pattern LABEL_LIST =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    // A name not followed by "(" (that is a function or an aggregation) and not the tail of a number or duration.
    private static final Pattern NAME = Pattern.compile("(?<![\\w.:$])([a-zA-Z_:][\\w:]*+)(?!\\s*\\()");
    private static final Set<String> KEYWORDS = Set.of(
            "and",
            "or",
            "unless",
            "offset",
            "bool",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "inf",
            "nan",
            "atan2");
    private static final Pattern SELECTOR = Pattern.compile("(?<![\\w.:$])([a-zA-Z_:][\\w:]*+)\\s*\\{([^}]*)\\}");
    private static final Pattern MATCHER_LABEL = Pattern.compile("(\\w+)\\s*(?:=~|!~|!=|=)");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*\\w+\\s*\\)");

    private MonitoringFiles() {}

    /** The rules of every group of the plain rules file, as Prometheus reads them. */
    public static List<Map<String, Object>> rules() {
        return rulesOf(groups(new Yaml().load(read(RULES))));
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> groups(Map<String, Object> rulesFile) {
        return (List<Map<String, Object>>) rulesFile.get("groups");
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> rulesOf(List<Map<String, Object>> groups) {
        List<Map<String, Object>> rules = new ArrayList<>();
        groups.forEach(group -> rules.addAll((List<Map<String, Object>>) group.get("rules")));
        return rules;
    }

    public static List<String> ruleExpressions() {
        return rules().stream().map(rule -> (String) rule.get("expr")).toList();
    }

    /** Every query of the dashboard: the panels' targets and the template variables' label_values(). */
    public static List<String> dashboardExpressions() {
        JsonNode dashboard = JsonMapper.builder().build().readTree(read(DASHBOARD));
        List<String> expressions = new ArrayList<>();
        collectTargets(dashboard.path("panels"), expressions);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asString())) {
                JsonNode query = variable.path("query");
                String text = query.isObject() ? query.path("query").asString() : query.asString();
                Matcher labelValues = LABEL_VALUES.matcher(text);
                expressions.add(labelValues.matches() ? labelValues.group(1) : text);
            }
        }
        return expressions;
    }

    private static void collectTargets(JsonNode panels, List<String> expressions) {
        for (JsonNode panel : panels) {
            panel.path("targets")
                    .forEach(target -> expressions.add(target.path("expr").asString()));
            // A collapsed row keeps its panels inside it.
            collectTargets(panel.path("panels"), expressions);
        }
    }

    /** Every series a rule or a dashboard panel reads, with the label names their matchers test. */
    public static Map<String, Set<String>> usedSeriesAndTheirMatcherLabels() {
        Map<String, Set<String>> used = new TreeMap<>();
        List<String> expressions = new ArrayList<>(ruleExpressions());
        expressions.addAll(dashboardExpressions());
        for (String expr : expressions) {
            metricNames(expr).forEach(name -> used.computeIfAbsent(name, key -> new TreeSet<>()));
            matcherLabels(expr).forEach((name, labels) -> used.get(name).addAll(labels));
        }
        return used;
    }

    /**
     * Whether only a gateway with the directory mirror on exports the series: the mirror's own, and the event
     * stream's, which opens only for a listener (the mirror).
     */
    public static boolean directoryOnly(String series) {
        return series.startsWith("gateway_directory_") || series.startsWith("gateway_dingtalk_stream_");
    }

    /** The series names an expression reads. */
    public static Set<String> metricNames(String promql) {
        String bare = LABEL_LIST
                .matcher(RANGE.matcher(MATCHERS.matcher(withoutStrings(promql)).replaceAll(" "))
                        .replaceAll(" "))
                .replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher name = NAME.matcher(bare);
        while (name.find()) {
            if (!KEYWORDS.contains(name.group(1))) {
                names.add(name.group(1));
            }
        }
        return names;
    }

    /** For each series name written with matchers, the label names those matchers test. */
    public static Map<String, Set<String>> matcherLabels(String promql) {
        Map<String, Set<String>> labels = new TreeMap<>();
        Matcher selector = SELECTOR.matcher(withoutStrings(promql));
        while (selector.find()) {
            Set<String> names = labels.computeIfAbsent(selector.group(1), key -> new TreeSet<>());
            Matcher label = MATCHER_LABEL.matcher(selector.group(2));
            while (label.find()) {
                names.add(label.group(1));
            }
        }
        return labels;
    }

    private static String withoutStrings(String promql) {
        return STRING.matcher(promql).replaceAll("\"\"");
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }
}
