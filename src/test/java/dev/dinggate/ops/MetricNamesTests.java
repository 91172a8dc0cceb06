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
import dev.dinggate.support.PrometheusScrape;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;

/**
 * Every series that an alert rule or a dashboard panel reads is one the gateway really exports: the
 * names come from the rules file and the dashboard themselves, and are looked up in a scrape of the
 * production gateway after traffic that succeeds and fails in the ways the alerts watch for.
 */
class MetricNamesTests extends ProductionGatewayTest {

    @LocalManagementPort
    int managementPort;

    @Test
    void everySeriesTheRulesAndTheDashboardReadIsInTheScrape() {
        driveTrafficThatSucceedsAndFails();
        Map<String, Set<String>> used = MonitoringFiles.usedSeriesAndTheirMatcherLabels();
        // The readiness alerts read kube-state-metrics, which watches the Deployment, not the gateway.
        Set<String> fromKubernetes = new TreeSet<>(
                used.keySet().stream().filter(name -> name.startsWith("kube_")).toList());
        Map<String, Set<String>> fromGateway = new TreeMap<>(used);
        fromKubernetes.forEach(fromGateway::remove);
        // The directory mirror is off here (ProductionGatewayTest); DirectoryStreamTests scrapes a gateway that keeps
        // it.
        Set<String> fromTheDirectory = new TreeSet<>(
                used.keySet().stream().filter(MonitoringFiles::directoryOnly).toList());
        fromTheDirectory.forEach(fromGateway::remove);
        assertThat(fromKubernetes)
                .containsExactlyInAnyOrder(
                        "kube_deployment_status_replicas_unavailable",
                        "kube_deployment_status_replicas_available",
                        "kube_deployment_spec_replicas");
        assertThat(fromTheDirectory)
                .containsExactlyInAnyOrder(
                        "gateway_directory_users",
                        "gateway_directory_confirmed_age_seconds",
                        "gateway_directory_events_total",
                        "gateway_directory_full_syncs_seconds_sum",
                        "gateway_directory_full_syncs_seconds_count",
                        "gateway_dingtalk_stream_connected");
        assertThat(fromGateway)
                .containsKeys(
                        "dingtalk_pacing_shared",
                        "dingtalk_pacing_budget",
                        "gateway_budget_store_seconds_sum",
                        "dingtalk_pacing_wait_seconds_count",
                        // The mirror's read cache is registered whether the mirror is on or not.
                        "cache_gets_total");

        // The HTTP timer is recorded as the exchange completes, which may be just after the client has its answer.
        await().untilAsserted(() -> assertThat(PrometheusScrape.missing(fromGateway, scrape()))
                .as(
                        "series (and labels their matchers test) read by an alert or a panel but not in /actuator/prometheus")
                .isEmpty());
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

    /** Each series name of the scrape, with the label names its samples carry. */
    private Map<String, Set<String>> scrape() {
        GatewayHttp.Answer answer = new GatewayHttp(managementPort).get("/actuator/prometheus");
        assertThat(answer.status()).isEqualTo(200);
        return PrometheusScrape.series(answer.response().body());
    }
}
