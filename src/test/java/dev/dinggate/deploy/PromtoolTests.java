package dev.dinggate.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The alert rules checked and unit-tested by the real promtool (Debian's prometheus package), and the
 * dashboard's queries parsed by it. CI installs promtool and must not skip; elsewhere the tests skip
 * with a reason when it is missing.
 */
class PromtoolTests {

    private static final String MISSING = "promtool is not installed (apt-get install prometheus brings it)";

    private static Path promtool;

    @BeforeAll
    static void findPromtool() {
        promtool = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "promtool"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElse(null);
        if (promtool == null && System.getenv("CI") != null) {
            fail(MISSING + "; CI must run these tests, not skip them");
        }
    }

    // Per test rather than in @BeforeAll, where Surefire would count no test at all and show no reason.
    @BeforeEach
    void needsPromtool() {
        Assumptions.assumeTrue(promtool != null, MISSING + ": skipped");
    }

    @Test
    void rulesPassPromtoolsCheck() {
        Result check = promtool("check", "rules", MonitoringFiles.RULES.toString());

        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output())
                .contains("SUCCESS: " + MonitoringFiles.rules().size() + " rules found");
    }

    @Test
    void everyAlertFiresAndStaysQuietInPromtoolsUnitTests() {
        Result test = promtool("test", "rules", MonitoringFiles.RULE_TESTS.toString());

        assertThat(test.exitCode()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
        Map<String, Coverage> coverage = coverage();
        for (Map<String, Object> rule : MonitoringFiles.rules()) {
            assertThat(coverage.get((String) rule.get("alert")))
                    .as("unit tests of " + rule.get("alert"))
                    .isEqualTo(new Coverage(true, true));
        }
    }

    @Test
    void unitTestsCatchARuleThatNoLongerFires(@TempDir Path dir) throws IOException {
        // The same tests against rules whose 5xx threshold was raised past the tests' 10 %: they must fail.
        String raised = MonitoringFiles.read(MonitoringFiles.RULES).replace("> 0.05", "> 0.2");
        assertThat(raised).isNotEqualTo(MonitoringFiles.read(MonitoringFiles.RULES));
        Files.writeString(dir.resolve(MonitoringFiles.RULES.getFileName()), raised);
        Path tests = Files.copy(MonitoringFiles.RULE_TESTS, dir.resolve(MonitoringFiles.RULE_TESTS.getFileName()));

        Result test = promtool("test", "rules", tests.toString());

        assertThat(test.exitCode()).as(test.output()).isNotZero();
        assertThat(test.output()).contains("GatewayApiErrors");
    }

    @Test
    void dashboardQueriesAreValidPromql(@TempDir Path dir) throws IOException {
        // promtool parses PromQL only inside rules: each panel query becomes a recording rule, with
        // Grafana's variables replaced by what they stand for.
        JsonNode dashboard = JsonMapper.builder().build().readTree(MonitoringFiles.read(MonitoringFiles.DASHBOARD));
        List<Map<String, String>> rules = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr")
                        .asString()
                        .replace("$__rate_interval", "5m")
                        .replace("$namespace", ".*")
                        .replace("$job", ".*");
                rules.add(Map.of(
                        "record",
                        "dashboard:panel_" + panel.path("id").asInt() + "_"
                                + target.path("refId").asString(),
                        "expr",
                        expr));
            }
        }
        Path file = dir.resolve("dashboard-queries.yaml");
        Files.writeString(
                file, new Yaml().dump(Map.of("groups", List.of(Map.of("name", "dashboard", "rules", rules)))));

        Result check = promtool("check", "rules", file.toString());

        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: " + rules.size() + " rules found");
        assertThat(rules).hasSizeGreaterThan(20);
    }

    /** Per alert: whether some test expects it to fire, and some expects it quiet. */
    @SuppressWarnings("unchecked")
    private static Map<String, Coverage> coverage() {
        Map<String, Object> file = new Yaml().load(MonitoringFiles.read(MonitoringFiles.RULE_TESTS));
        Map<String, Coverage> coverage = new LinkedHashMap<>();
        for (Map<String, Object> test : (List<Map<String, Object>>) file.get("tests")) {
            for (Map<String, Object> check : (List<Map<String, Object>>) test.get("alert_rule_test")) {
                boolean fires = !((List<?>) check.get("exp_alerts")).isEmpty();
                coverage.merge(
                        (String) check.get("alertname"),
                        new Coverage(fires, !fires),
                        (a, b) -> new Coverage(a.fires() || b.fires(), a.quiet() || b.quiet()));
            }
        }
        return coverage;
    }

    private record Coverage(boolean fires, boolean quiet) {}

    private record Result(int exitCode, String output) {}

    private static Result promtool(String... arguments) {
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(arguments));
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.waitFor(), output);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }
}
