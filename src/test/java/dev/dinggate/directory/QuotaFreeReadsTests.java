package dev.dinggate.directory;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.support.MutableClock;
import dev.dinggate.support.ProductionGatewayTest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The per-client budget shares DingTalk's quota; reads the mirror answers spend none, so they meet only the guard
 * against abuse. The clock stands still, so no budget refills during a test.
 */
@Import(QuotaFreeReadsTests.HandMovedClock.class)
class QuotaFreeReadsTests extends ProductionGatewayTest {

    private static final MutableClock CLOCK = new MutableClock(Instant.now());

    @DynamicPropertySource
    static void limits(DynamicPropertyRegistry registry) {
        registry.add("gateway.directory.enabled", () -> "true");
        registry.add("gateway.directory.check-interval", () -> "1h");
        registry.add("gateway.inbound.rate-limit.requests-per-second", () -> "1");
        registry.add("gateway.inbound.rate-limit.burst", () -> "3");
        registry.add("gateway.inbound.quota-free-rate-limit.requests-per-second", () -> "1");
        registry.add("gateway.inbound.quota-free-rate-limit.burst", () -> "400");
        // The frozen clock would leave DingTalk's budget without refills too: out of reach here.
        registry.add("dingtalk.rate-limit.qps", () -> "100000");
    }

    @Autowired
    private FullSync fullSync;

    @Test
    void aWebAppReadingHundredsOfUserCardsIsServedAndOnlyTheAbuseGuardStopsIt() {
        dingTalk.stubFor(post(urlPathEqualTo("/topapi/v2/department/get"))
                .willReturn(okJson("{\"errcode\":0,\"result\":{\"dept_id\":1,\"name\":\"Org\"}}")));
        dingTalk.stubFor(post(urlPathEqualTo("/topapi/v2/department/listsub"))
                .willReturn(okJson("{\"errcode\":0,\"result\":[]}")));
        dingTalk.stubFor(post(urlPathEqualTo("/topapi/v2/user/list"))
                .willReturn(okJson("{\"errcode\":0,\"result\":{\"has_more\":false,\"list\":[{\"userid\":\"card1\","
                        + "\"name\":\"Card One\",\"dept_id_list\":[1],\"active\":true}]}}")));
        dingTalk.stubFor(post(urlPathEqualTo("/topapi/v2/user/get"))
                .willReturn(okJson("{\"errcode\":0,\"result\":{\"userid\":\"card1\",\"name\":\"Card One\"}}")));
        assertThat(fullSync.syncNow()).isPresent();
        String webApp = jwts.builder("alice", "users:read", null)
                .claim("azp", "people-picker")
                .sign();

        List<Integer> cards = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            cards.add(
                    http.send("GET", "/api/v1/users/card1", webApp, null, null).status());
        }
        List<Integer> strong = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            strong.add(http.send("GET", "/api/v1/users/card1?consistency=strong", webApp, null, null)
                    .status());
        }
        List<Integer> beyondTheGuard = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            beyondTheGuard.add(http.send("GET", "/api/v1/directory/users?q=card", webApp, null, null)
                    .status());
        }

        assertThat(cards).as("300 cards, far over the client's budget of 3").containsOnly(200);
        assertThat(strong)
                .as("a strong read spends quota: the client's budget applies")
                .containsExactly(200, 200, 200, 429);
        assertThat(beyondTheGuard.subList(0, 100)).containsOnly(200);
        assertThat(beyondTheGuard.get(100))
                .as("the guard's burst of 400 is spent")
                .isEqualTo(429);
    }

    /** The gateway's clock, moved by this test alone: budgets refill only when it says so. */
    @TestConfiguration(proxyBeanMethods = false)
    static class HandMovedClock {
        @Bean
        Clock clock() {
            return CLOCK;
        }
    }
}
