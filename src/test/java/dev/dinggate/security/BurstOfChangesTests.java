package dev.dinggate.security;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.support.ProductionGatewayTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One HR client sends 200 visibility changes, 100 at a time, with the production defaults: DingTalk's
 * 20 calls a second, the per-client budget, the retry policy. Every change is queued and answered 200;
 * none is refused for the client's budget.
 */
class BurstOfChangesTests extends ProductionGatewayTest {

    private static final String VISIBILITY_UPSTREAM = "/v1.0/contact/orgAccounts/mobiles/visibleInOtherOrg";

    @DynamicPropertySource
    static void productionDefaults(DynamicPropertyRegistry registry) {
        registry.add("gateway.inbound.rate-limit.requests-per-second", () -> "100");
        registry.add("gateway.inbound.rate-limit.burst", () -> "300");
        registry.add("dingtalk.retry.initial-backoff", () -> "200ms");
        registry.add("dingtalk.retry.max-backoff", () -> "2s");
    }

    @Test
    void twoHundredChangesAHundredAtATimeAreAllQueuedAndAnswered() throws Exception {
        dingTalk.stubFor(put(urlEqualTo(VISIBILITY_UPSTREAM)).willReturn(okJson("{\"result\":true}")));
        String hrSystem = jwts.builder("hr-sync", "accounts:write", "manager4220")
                .claim("azp", "hr-system")
                .sign();

        List<Integer> statuses = new ArrayList<>();
        for (int wave = 0; wave < 2; wave++) {
            try (ExecutorService client = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    String corpId = "ding" + wave + "x" + i;
                    answers.add(client.submit(() -> http.putJson(
                                    "/api/v1/org-accounts/visibility", hrSystem, "{\"corpIds\":[\"" + corpId + "\"]}")
                            .status()));
                }
                for (Future<Integer> answer : answers) {
                    statuses.add(answer.get());
                }
            }
        }

        assertThat(statuses).hasSize(200).containsOnly(200);
        assertThat(dingTalk.countRequestsMatching(
                                putRequestedFor(urlEqualTo(VISIBILITY_UPSTREAM)).build())
                        .getCount())
                .isEqualTo(200);
    }
}
