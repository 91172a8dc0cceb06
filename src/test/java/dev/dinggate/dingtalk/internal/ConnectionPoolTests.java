package dev.dinggate.dingtalk.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.dinggate.dingtalk.internal.TransportFixture.LEGACY_READ;
import static dev.dinggate.dingtalk.internal.TransportFixture.LEGACY_READ_PATH;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A burst of callers larger than the connection pool waits for connections instead of failing:
 * bench/token-cache.sh found 367 of 1,186 requests answered 500 when 1,000 arrived at once.
 */
class ConnectionPoolTests {

    private static final int CALLERS = 600;

    @RegisterExtension
    static final WireMockExtension wireMock = WireMockExtension.newInstance()
            .options(options().dynamicPort().containerThreads(64))
            .build();

    @Test
    void moreCallersThanConnectionsAllGetTheirAnswer() throws Exception {
        TransportFixture fixture = new TransportFixture(wireMock);
        fixture.stubToken("t1");
        wireMock.stubFor(post(urlEqualTo(LEGACY_READ_PATH + "?access_token=t1"))
                .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"result\":{\"userid\":\"user1\"}}")));
        DingTalkTransport transport = fixture.unpacedTransport(Duration.ofSeconds(30));

        List<Throwable> failures = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                calls.add(callers.submit(() -> {
                    start.await();
                    return transport.call(LEGACY_READ, JsonNode.class);
                }));
            }
            start.countDown();
            for (Future<?> call : calls) {
                try {
                    call.get();
                } catch (ExecutionException failed) {
                    failures.add(failed.getCause());
                }
            }
        }

        assertThat(failures).isEmpty();
        assertThat(wireMock.countRequestsMatching(postRequestedFor(urlEqualTo(LEGACY_READ_PATH + "?access_token=t1"))
                                .build())
                        .getCount())
                .isEqualTo(CALLERS);
    }
}
