package dev.dinggate.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dinggate.deploy.MonitoringFiles;
import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.ProductionGatewayTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;

/**
 * Every series that an alert rule or a dashboard panel reads is one the gateway really exports: the
 * names come from the rules file and the dashboard themselves, and are looked up in a scrape of the
 * production gateway after traffic that succeeds and fails in the ways the alerts watch for.
 */
class MetricNamesTests extends ProductionGatewayTest {

    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][\\w:]*)(?:\\{(.*)\\})?\\s");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"(?:[^\"\\\\]|\\\\.)*\"");
    // Labels Prometheus attaches to every scraped series; the gateway never exports them itself.
    private static final Set<String> TARGET_LABELS = Set.of("namespace", "job", "instance");

    @LocalManagementPort
    int managementPort;

    @Test
    void everySeriesTheRulesAndTheDashboardReadIsInTheScrape() {
        driveTrafficThatSucceedsAndFails();
        Map<String, Set<String>> used = usedSeriesAndTheirMatcherLabels();
        // The readiness alerts read kube-state-metrics, which watches the Deployment, not the gateway.
        Set<String> fromKubernetes = new TreeSet<>(
                used.keySet().stream().filter(name -> name.startsWith("kube_")).toList());
        Map<String, Set<String>> fromGateway = new TreeMap<>(used);
        fromKubernetes.forEach(fromGateway::remove);
        assertThat(fromKubernetes)
                .containsExactlyInAnyOrder(
                        "kube_deployment_status_replicas_unavailable",
                        "kube_deployment_status_replicas_available",
                        "kube_deployment_spec_replicas");
        assertThat(fromGateway)
                .containsKeys(
                        "dingtalk_pacing_shared",
                        "dingtalk_pacing_budget",
                        "gateway_budget_store_seconds_sum",
                        "dingtalk_pacing_wait_seconds_count");

        // The HTTP timer is recorded as the exchange completes, which may be just after the client has its answer.
        await().untilAsserted(() -> assertThat(notInScrape(fromGateway, scrape()))
                .as(
                        "series (and labels their matchers test) read by an alert or a panel but not in /actuator/prometheus")
                .isEmpty());
    }

    private static List<String> notInScrape(Map<String, Set<String>> used, Map<String, Set<String>> scraped) {
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

    /** The gateway's failures that the alerts are about: busy DingTalk, an unknown outcome, a failed token fetch. */
    private void driveTrafficThatSucceedsAndFails() {
        dingTalk.stubFor(post(urlEqualTo("/v1.0/contact/orgAccounts/dingTalkIds/change"))
                .willReturn(okJson("{\"result\":true}")));
        assertThat(http.putJson(
                                "/api/v1/org-accounts/user1001/dingtalk-id",
                                jwts.token("alice", "accounts:write", "manager4220"),
                                "{\"dingTalkId\":\"lisi2026\"}")
                        .status())
                .isEqualTo(200);

        dingTalk.stubFor(post(urlPathEqualTo("/topapi/v2/user/get"))
                .willReturn(okJson("{\"errcode\":-1,\"errmsg\":\"system busy\"}")));
        assertThat(http.send(
                                "GET",
                                "/api/v1/users/user1001",
                                jwts.token("hr-sync", "users:read", "user1002"),
                                null,
                                null)
                        .status())
                .isEqualTo(503);

        // An unreadable answer to a change: DingTalk may have applied it, so it is audited UNKNOWN.
        dingTalk.stubFor(post(urlPathEqualTo("/topapi/v2/user/update"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"errcode\":0,")));
        assertThat(http.send(
                                "PATCH",
                                "/api/v1/users/user1001",
                                jwts.token("hr-admin", "users:write", "user1002"),
                                "application/json",
                                "{\"title\":\"X\"}")
                        .status())
                .isEqualTo(502);

        dingTalk.stubFor(post(urlEqualTo("/v1.0/oauth2/accessToken"))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody(
                                "{\"code\":\"invalidClientSecret\",\"message\":\"bad secret\",\"requestid\":\"r1\"}")));
        GatewayHttp.Answer refresh = new GatewayHttp(managementPort)
                .send("POST", "/actuator/dingtalk", jwts.token("oncall", "ops", null), null, null);
        // The POST answers the token state: the fetch failed, and the cached token stays in use.
        assertThat(refresh.json().path("consecutiveFailures").asInt()).isPositive();
    }

    private static Map<String, Set<String>> usedSeriesAndTheirMatcherLabels() {
        Map<String, Set<String>> used = new TreeMap<>();
        Stream.concat(MonitoringFiles.ruleExpressions().stream(), MonitoringFiles.dashboardExpressions().stream())
                .forEach(expr -> {
                    MonitoringFiles.metricNames(expr)
                            .forEach(name -> used.computeIfAbsent(name, key -> new TreeSet<>()));
                    MonitoringFiles.matcherLabels(expr)
                            .forEach((name, labels) -> used.get(name).addAll(labels));
                });
        return used;
    }

    /** Each series name of the scrape, with the label names its samples carry. */
    private Map<String, Set<String>> scrape() {
        GatewayHttp.Answer answer = new GatewayHttp(managementPort).get("/actuator/prometheus");
        assertThat(answer.status()).isEqualTo(200);
        Map<String, Set<String>> series = new TreeMap<>();
        for (String line : List.of(answer.response().body().split("\n"))) {
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
}
