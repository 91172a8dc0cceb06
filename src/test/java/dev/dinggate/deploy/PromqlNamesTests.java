package dev.dinggate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The PromQL reading that MetricNamesTests relies on: it must find every series name and nothing else. */
class PromqlNamesTests {

    @Test
    void findsSeriesNamesButNotFunctionsKeywordsLabelsOrDurations() {
        String promql = """
                sum by (namespace, job) (rate(http_server_requests_seconds_count{job="a", status=~"5.."}[5m]))
                / on (job) group_left max without (instance) (dingtalk_pacing_budget offset 1h) > 0.05
                or time() - max_over_time(timestamp(changes(x:recorded[2m]) > 0)[3h:1m]) unless absent(up) > 1e3
                """;

        assertThat(MonitoringFiles.metricNames(promql))
                .containsExactly("dingtalk_pacing_budget", "http_server_requests_seconds_count", "up", "x:recorded");
    }

    @Test
    void ignoresWhatLabelValuesAndGrafanaVariablesSay() {
        String promql = "sum(rate(dingtalk_calls_seconds_count{namespace=~\"$namespace\", api!=\"oauth2.accessToken\", "
                + "outcome=\"not_a_metric {here}\"}[$__rate_interval]))";

        assertThat(MonitoringFiles.metricNames(promql)).containsExactly("dingtalk_calls_seconds_count");
        assertThat(MonitoringFiles.matcherLabels(promql))
                .isEqualTo(Map.of("dingtalk_calls_seconds_count", Set.of("namespace", "api", "outcome")));
    }

    @Test
    void readsEveryRuleAndEveryDashboardQuery() {
        assertThat(MonitoringFiles.ruleExpressions())
                .hasSize(MonitoringFiles.rules().size())
                .allSatisfy(
                        expr -> assertThat(MonitoringFiles.metricNames(expr)).isNotEmpty());
        // The template variables' label_values() are read as the series they take labels from.
        assertThat(MonitoringFiles.dashboardExpressions())
                .contains("gateway_audit_recovered_total")
                .allSatisfy(
                        expr -> assertThat(MonitoringFiles.metricNames(expr)).isNotEmpty());
    }
}
