package dev.dinggate.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.ProductionGatewayTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.context.ApplicationContext;

/** Actuator on its own port: probes, info and metrics open to the platform, the rest closed. */
class ActuatorTests extends ProductionGatewayTest {

    @LocalManagementPort
    int managementPort;

    @ParameterizedTest
    @ValueSource(
            strings = {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness", "/actuator/info"})
    void probesAndInfoAreOpenOnTheManagementPort(String path) {
        GatewayHttp.Answer answer = new GatewayHttp(managementPort).get(path);

        assertThat(answer.status()).isEqualTo(200);
        if (path.startsWith("/actuator/health")) {
            assertThat(answer.field("status")).isEqualTo("UP");
        }
    }

    @Autowired
    ApplicationContext application;

    @Test
    void managementAnswersAndTheirProblemsCarryARequestId() {
        GatewayHttp management = new GatewayHttp(managementPort);

        GatewayHttp.Answer health = management.get("/actuator/health");
        GatewayHttp.Answer refused =
                management.send("GET", "/actuator/env", jwts.token("alice", "users:read", null), null, null);

        assertThat(health.header("X-Request-Id")).isNotBlank();
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.field("requestId"))
                .isEqualTo(refused.header("X-Request-Id"))
                .isNotEqualTo("unknown");
    }

    @Test
    void theManagementContextsRequestIdFilterIsNoBeanOfTheApplication() {
        // The application has its own RequestIdFilter; the management context's is imported there alone.
        assertThat(application.containsBean("managementRequestIdFilter")).isFalse();
    }

    @Test
    void prometheusScrapeIsOpenAndHasTheGatewaysMetrics() {
        GatewayHttp.Answer answer = new GatewayHttp(managementPort).get("/actuator/prometheus");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.response().body()).contains("jvm_memory_used_bytes", "http_server_requests");
    }

    @Test
    void requestsAreTimedOnceNotPerSecurityFilter() {
        http.send("GET", "/api/v1/users/user1001", jwts.token("alice", "users:read", null), null, null);

        String scrape = new GatewayHttp(managementPort)
                .get("/actuator/prometheus")
                .response()
                .body();

        assertThat(scrape).contains("http_server_requests_seconds_count{");
        assertThat(scrape).doesNotContain("spring_security_");
    }

    @Test
    void readinessCoversTheAuditStoreDingTalkAndTheIdentityProviderAndShowsDetailsOnlyToOperators() {
        GatewayHttp.Answer anonymous = new GatewayHttp(managementPort).get("/actuator/health/readiness");
        GatewayHttp.Answer operator = new GatewayHttp(managementPort)
                .send("GET", "/actuator/health/readiness", jwts.token("oncall", "ops", null), null, null);

        assertThat(anonymous.json().has("components")).isFalse();
        assertThat(operator.status()).isEqualTo(200);
        assertThat(operator.json().path("components").has("db")).isTrue();
        assertThat(operator.json().path("components").has("dingTalk")).isTrue();
        assertThat(operator.json().path("components").has("readinessState")).isTrue();
        assertThat(operator.json()
                        .path("components")
                        .path("identityProvider")
                        .path("status")
                        .asString())
                .isEqualTo("UP");
    }

    @Test
    void dingTalkEndpointShowsTokenMetadataButNeverTheTokenAndCanForceARefresh() {
        dingTalk.stubFor(post(urlEqualTo("/v1.0/contact/orgAccounts/dingTalkIds/change"))
                .willReturn(okJson("{\"result\":true}")));
        http.putJson(
                "/api/v1/org-accounts/user1001/dingtalk-id",
                jwts.token("alice", "accounts:write", "manager4220"),
                "{\"dingTalkId\":\"lisi2026\"}");
        GatewayHttp management = new GatewayHttp(managementPort);
        String ops = jwts.token("oncall", "ops", null);

        assertThat(management.get("/actuator/dingtalk").status()).isEqualTo(401);
        assertThat(management
                        .send("GET", "/actuator/dingtalk", jwts.token("alice", "accounts:write", null), null, null)
                        .status())
                .isEqualTo(403);
        GatewayHttp.Answer state = management.send("GET", "/actuator/dingtalk", ops, null, null);
        assertThat(state.status()).isEqualTo(200);
        assertThat(state.json().path("token").path("expiresAt").isNull()).isFalse();
        assertThat(state.json().path("pacing").path("qps").asInt()).isEqualTo(20);
        assertThat(state.json().path("pacing").path("store").asString()).isEqualTo("shared");
        assertThat(state.json()
                        .path("pacing")
                        .path("apis")
                        .path("contact.orgAccounts.changeDingTalkId")
                        .asInt())
                .isEqualTo(20);
        assertThat(state.response().body()).doesNotContain("it-token", APP_SECRET);

        int fetchesBefore = dingTalk.countRequestsMatching(
                        postRequestedFor(urlEqualTo("/v1.0/oauth2/accessToken")).build())
                .getCount();
        GatewayHttp.Answer refreshed = management.send("POST", "/actuator/dingtalk", ops, null, null);
        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(dingTalk.countRequestsMatching(postRequestedFor(urlEqualTo("/v1.0/oauth2/accessToken"))
                                .build())
                        .getCount())
                .isEqualTo(fetchesBefore + 1);
        assertThat(refreshed.response().body()).doesNotContain("it-token");
    }

    @Test
    void upstreamCallsTokenFetchesPacingAndAuditWritesAreMeasured() {
        dingTalk.stubFor(post(urlEqualTo("/v1.0/contact/orgAccounts/dingTalkIds/change"))
                .willReturn(okJson("{\"result\":true}")));
        http.putJson(
                "/api/v1/org-accounts/user1004/dingtalk-id",
                jwts.token("alice", "accounts:write", "manager4220"),
                "{\"dingTalkId\":\"sunba2026\"}");

        String scrape = new GatewayHttp(managementPort)
                .get("/actuator/prometheus")
                .response()
                .body();

        assertThat(scrape)
                .contains(
                        "dingtalk_calls_seconds_count{api=\"contact.orgAccounts.changeDingTalkId\"",
                        "dingtalk_token_fetches_total{outcome=\"success\"}",
                        "dingtalk_pacing_wait_seconds_count{api=\"contact.orgAccounts.changeDingTalkId\"}",
                        "dingtalk_pacing_budget{api=\"contact.orgAccounts.changeDingTalkId\"} 20.0",
                        "dingtalk_pacing_shared 1.0",
                        "gateway_audit_writes_seconds_count{phase=\"pending\",result=\"ok\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/env", "/actuator/configprops"})
    void environmentAndConfigurationNeverShowTheAppSecret(String path) {
        GatewayHttp.Answer answer =
                new GatewayHttp(managementPort).send("GET", path, jwts.token("oncall", "ops", null), null, null);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.response().body()).contains("dingtalk").doesNotContain(APP_SECRET);
    }

    @Test
    void otherEndpointsNeedTheOpsScope() {
        GatewayHttp.Answer answer = new GatewayHttp(managementPort).get("/actuator/env");

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.response().body()).doesNotContain(APP_SECRET);
    }

    @Test
    void actuatorIsNotServedOnTheApiPort() {
        // With the ops scope, an Actuator served on the API port behind a login would answer 200 here.
        GatewayHttp.Answer answer =
                http.send("GET", "/actuator/health", jwts.token("operator", "ops", null), null, null);

        assertThat(answer.status()).isIn(403, 404);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.response().body()).doesNotContain("\"UP\"");
    }
}
