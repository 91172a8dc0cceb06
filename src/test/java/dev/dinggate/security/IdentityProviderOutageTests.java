package dev.dinggate.security;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.ProductionGatewayTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;

/** The company identity provider not answering (an outage, a typo in its address): callers and the platform are told. */
class IdentityProviderOutageTests extends ProductionGatewayTest {

    @LocalManagementPort
    int managementPort;

    /** After the base class's set-up, which serves the key set: from here on nobody answers at its address. */
    @BeforeEach
    void identityProviderStopsAnswering() {
        dingTalk.stubFor(
                get(urlEqualTo("/idp/jwks")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    }

    @Test
    void aBearerCallIsToldToRetryLaterWithAProblemNotABare500() {
        GatewayHttp.Answer answer =
                http.send("GET", "/api/v1/users/user1001", jwts.token("alice", "users:read", null), null, null);

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.contentType()).isEqualTo("application/problem+json");
        assertThat(answer.field("code")).isEqualTo("auth.provider-unavailable");
        assertThat(answer.header("Retry-After")).isEqualTo("10");
        assertThat(answer.field("requestId"))
                .isEqualTo(answer.header("X-Request-Id"))
                .isNotBlank();
        assertThat(dingTalkCalls()).isZero();
    }

    @Test
    void aCallWithoutCredentialsIsStillUnauthenticated() {
        GatewayHttp.Answer answer = http.send("GET", "/api/v1/users/user1001", null, null, null);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.field("code")).isEqualTo("auth.unauthenticated");
    }

    @Test
    void readinessTellsThePlatformToSendTrafficElsewhere() {
        GatewayHttp.Answer readiness = new GatewayHttp(managementPort).get("/actuator/health/readiness");
        GatewayHttp.Answer liveness = new GatewayHttp(managementPort).get("/actuator/health/liveness");

        assertThat(readiness.status()).isEqualTo(503);
        assertThat(readiness.field("status")).isEqualTo("DOWN");
        assertThat(liveness.status())
                .as("the process itself is fine: no restart")
                .isEqualTo(200);
    }
}
