package dev.dinggate.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What the chart gives operators: the alert rules as a PrometheusRule and the dashboard as a
 * ConfigMap for Grafana's sidecar, both optional and both the very files in docs/; the runbook
 * the alerts link to; and the Kubernetes version the chart needs.
 */
class OperatorsChartTests {

    private static final String CHART = "helm/dingtalk-gateway";
    // The release name the README installs with, so that the rules select job="dingtalk-gateway" as docs/ does.
    private static final String RELEASE = "dingtalk-gateway";
    /** The oldest Kubernetes that Chart.yaml admits; helm-java renders for 1.20 unless told, which it refuses. */
    static final String KUBERNETES = "v1.30.0";

    @Test
    void rulesAndDashboardAreOffByDefault() {
        assertThat(render())
                .extracting(manifest -> manifest.get("kind"))
                .contains("Deployment")
                .doesNotContain("PrometheusRule");
        assertThat(render())
                .filteredOn(manifest -> "ConfigMap".equals(manifest.get("kind")))
                .hasSize(1);
    }

    @Test
    void chartRulesAreTheRulesFileAtTheDefaultThresholds() {
        Map<String, Object> rule = ofKind(render("prometheusRule.enabled", "true"), "PrometheusRule");
        Map<String, Object> rulesFile = new Yaml().load(MonitoringFiles.read(MonitoringFiles.RULES));

        assertThat(rule.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
        // Parsed, so comments and layout may differ; every group, rule, expression and annotation may not.
        assertThat(path(rule, "spec", "groups")).isEqualTo(rulesFile.get("groups"));
    }

    @Test
    void thresholdsJobSelectorRunbookAndLabelsComeFromValues() {
        Map<String, Object> rule = ofKind(
                render(
                        "prometheusRule.enabled",
                        "true",
                        "prometheusRule.thresholds.apiErrorRatio",
                        "0.2",
                        "prometheusRule.thresholds.podsNotReadyFor",
                        "30m",
                        "prometheusRule.job",
                        "gateway-prod",
                        "prometheusRule.runbookUrl",
                        "https://wiki.example.internal/gw",
                        "prometheusRule.labels.release",
                        "kube-prometheus-stack"),
                "PrometheusRule");
        Map<String, Map<String, Object>> byAlert = alerts(rule);

        assertThat(path(rule, "metadata", "labels", "release")).isEqualTo("kube-prometheus-stack");
        assertThat((String) byAlert.get("GatewayApiErrors").get("expr"))
                .contains("> 0.2\n")
                .doesNotContain("0.05")
                .contains("job=\"gateway-prod\"")
                .doesNotContain("job=\"dingtalk-gateway\"");
        assertThat(byAlert.get("GatewayPodsNotReady").get("for")).isEqualTo("30m");
        assertThat(path(byAlert.get("GatewayApiErrors"), "annotations", "runbook_url"))
                .isEqualTo("https://wiki.example.internal/gw#gatewayapierrors");
    }

    @Test
    void staleDirectoryAlertTakesItsBoundFromTheSettingHealthUses() {
        Map<String, Object> twoDays = ofKind(
                render(
                        "prometheusRule.enabled",
                        "true",
                        "config.directory.staleAfter",
                        "2d",
                        "prometheusRule.thresholds.eventStreamDownFor",
                        "20m"),
                "PrometheusRule");
        Map<String, Object> ninetyMinutes = ofKind(
                render("prometheusRule.enabled", "true", "config.directory.staleAfter", "90m"), "PrometheusRule");

        assertThat((String) alerts(twoDays).get("GatewayDirectoryStale").get("expr"))
                .endsWith("> 172800\n")
                .doesNotContain("25200");
        assertThat((String) alerts(ninetyMinutes).get("GatewayDirectoryStale").get("expr"))
                .endsWith("> 5400\n");
        assertThat(alerts(twoDays).get("DingTalkEventStreamDown").get("for")).isEqualTo("20m");
        // Helm cannot read every form Spring can: one it cannot stops the render, not the alert.
        assertThatThrownBy(() -> render("prometheusRule.enabled", "true", "config.directory.staleAfter", "7h30m"))
                .hasMessageContaining("\"7h30m\" is not a whole number of days, hours, minutes or seconds");
    }

    @Test
    void readinessAlertsFollowTheDeploymentsName() {
        List<Map<String, Object>> manifests = render("prometheusRule.enabled", "true", "fullnameOverride", "gw-eu");

        assertThat(path(ofKind(manifests, "Deployment"), "metadata", "name")).isEqualTo("gw-eu");
        assertThat((String) alerts(ofKind(manifests, "PrometheusRule"))
                        .get("GatewayNoPodReady")
                        .get("expr"))
                .contains("deployment=\"gw-eu\"")
                .doesNotContain("deployment=\"dingtalk-gateway\"");
    }

    @Test
    void dashboardConfigMapCarriesTheSidecarLabelAndTheDocsDashboard() throws IOException {
        List<Map<String, Object>> manifests =
                render("grafanaDashboard.enabled", "true", "grafanaDashboard.annotations.grafana_folder", "DingTalk");
        Map<String, Object> dashboard = manifests.stream()
                .filter(manifest -> "ConfigMap".equals(manifest.get("kind")))
                .filter(manifest -> path(manifest, "data", "dingtalk-gateway.json") != null)
                .findFirst()
                .orElseThrow();

        assertThat(path(dashboard, "metadata", "labels", "grafana_dashboard")).isEqualTo("1");
        assertThat(path(dashboard, "metadata", "annotations", "grafana_folder")).isEqualTo("DingTalk");
        // One dashboard: docs/grafana's is a link to the chart's file, and the ConfigMap holds it whole.
        assertThat(MonitoringFiles.DASHBOARD.toRealPath()).isEqualTo(MonitoringFiles.CHART_DASHBOARD.toRealPath());
        String docs = MonitoringFiles.read(MonitoringFiles.DASHBOARD);
        assertThat((String) path(dashboard, "data", "dingtalk-gateway.json")).isEqualTo(docs.stripTrailing());
    }

    @Test
    void productionExampleShipsTheAlertsAndTheDashboardToKubePrometheusStack() {
        TemplateCommand template = template().withValuesFile(Path.of(CHART, "examples/values-production.yaml"));
        List<Map<String, Object>> manifests = parse(template.call());

        assertThat(path(ofKind(manifests, "PrometheusRule"), "metadata", "labels", "release"))
                .isEqualTo(path(ofKind(manifests, "ServiceMonitor"), "metadata", "labels", "release"));
        assertThat(manifests)
                .anySatisfy(manifest -> assertThat(path(manifest, "metadata", "labels", "grafana_dashboard"))
                        .isEqualTo("1"));
    }

    @Test
    void everyAlertLinksToARunbookSectionThatAnswersTheFourQuestions() {
        String runbook = MonitoringFiles.read(MonitoringFiles.RUNBOOK);
        for (Map<String, Object> rule : MonitoringFiles.rules()) {
            String alert = (String) rule.get("alert");
            String url = (String) path(rule, "annotations", "runbook_url");
            assertThat(url).as(alert).endsWith("/docs/runbook.md#" + alert.toLowerCase());
            String section = section(runbook, alert);
            assertThat(section)
                    .as("runbook section of " + alert)
                    .contains("**What it means**", "**What users see**", "**How to confirm**", "**What to do**");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void chartNeedsAKubernetesWhosePreStopSleepIsOnByDefault() {
        Map<String, Object> container = ((List<Map<String, Object>>)
                        path(ofKind(render(), "Deployment"), "spec", "template", "spec", "containers"))
                .getFirst();
        assertThat(path(container, "lifecycle", "preStop", "sleep", "seconds")).isEqualTo(5);

        // The sleep action is beta, and on, from 1.30 (alpha and off in 1.29).
        assertThatThrownBy(() -> template().withKubeVersion("v1.29.9").call()).hasMessageContaining("kubeVersion");
        assertThat(template().withKubeVersion("v1.30.0").call()).contains("kind: Deployment");
        assertThat(template().withKubeVersion("v1.31.2-eks-7f9249a").call()).contains("kind: Deployment");
    }

    /** The text of a runbook heading "## Alert" up to the next second-level heading. */
    private static String section(String runbook, String alert) {
        Matcher heading =
                Pattern.compile("(?m)^## " + Pattern.quote(alert) + "$").matcher(runbook);
        assertThat(heading.find()).as("runbook heading ## " + alert).isTrue();
        int next = runbook.indexOf("\n## ", heading.end());
        return runbook.substring(heading.end(), next < 0 ? runbook.length() : next);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> alerts(Map<String, Object> prometheusRule) {
        List<Map<String, Object>> groups = (List<Map<String, Object>>) path(prometheusRule, "spec", "groups");
        Map<String, Map<String, Object>> byAlert = new LinkedHashMap<>();
        MonitoringFiles.rulesOf(groups).forEach(rule -> byAlert.put((String) rule.get("alert"), rule));
        return byAlert;
    }

    private static TemplateCommand template() {
        return new Helm(Path.of(CHART)).template().withName(RELEASE).withKubeVersion(KUBERNETES);
    }

    private static List<Map<String, Object>> render(String... keysAndValues) {
        TemplateCommand template = template();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            template.set(keysAndValues[i], keysAndValues[i + 1]);
        }
        return parse(template.call());
    }

    private static List<Map<String, Object>> parse(String rendered) {
        List<Map<String, Object>> manifests = new ArrayList<>();
        for (Object document : new Yaml().loadAll(rendered)) {
            if (document instanceof Map<?, ?> manifest) {
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = (Map<String, Object>) manifest;
                manifests.add(typed);
            }
        }
        return manifests;
    }

    private static Map<String, Object> ofKind(List<Map<String, Object>> manifests, String kind) {
        return manifests.stream()
                .filter(manifest -> kind.equals(manifest.get("kind")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " rendered"));
    }

    @SuppressWarnings("unchecked")
    private static Object path(Map<String, Object> root, String... keys) {
        Object node = root;
        for (String key : keys) {
            node = node == null ? null : ((Map<String, Object>) node).get(key);
        }
        return node;
    }
}
