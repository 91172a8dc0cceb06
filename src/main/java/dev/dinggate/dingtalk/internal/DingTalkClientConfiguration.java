package dev.dinggate.dingtalk.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.retry.RetryCallback;
import org.springframework.retry.RetryContext;
import org.springframework.retry.RetryListener;
import org.springframework.retry.policy.CompositeRetryPolicy;
import org.springframework.retry.policy.MaxAttemptsRetryPolicy;
import org.springframework.retry.policy.TimeoutRetryPolicy;
import org.springframework.retry.support.RetryTemplate;
import org.springframework.web.reactive.function.client.WebClient;

import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.dingtalk.DingTalkProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.json.JsonMapper;

/** Wires the DingTalk client from {@link DingTalkProperties}. */
@Configuration(proxyBeanMethods = false)
class DingTalkClientConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DingTalkClientConfiguration.class);
    private static final int MAX_ANSWER_BYTES = 8 * 1024 * 1024;

    @Bean
    DingTalkTransport dingTalkTransport(DingTalkProperties properties, WebClient.Builder webClientBuilder,
            JsonMapper jsonMapper, ObjectProvider<Clock> clock, MeterRegistry meters) {
        return create(properties, webClientBuilder, jsonMapper, clock.getIfAvailable(Clock::systemUTC), meters);
    }

    /** Builds the transport without a Spring context, as the adapter's own tests do. */
    static DingTalkTransport create(DingTalkProperties properties, WebClient.Builder webClientBuilder,
            JsonMapper jsonMapper, Clock clock, MeterRegistry meters) {
        String appKey = required(properties.appKey(), "dingtalk.app-key");
        String appSecret = required(properties.appSecret(), "dingtalk.app-secret");
        OutboundPacer pacer = new OutboundPacer(properties.rateLimit().qps(), properties.rateLimit().maxWait(), meters);
        UpstreamExchange exchange = new UpstreamExchange(webClient(properties, webClientBuilder),
                new Envelopes(jsonMapper), pacer, properties.baseUrl(), properties.legacyBaseUrl(),
                properties.timeout().response(), meters);
        Executor fetchExecutor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("dingtalk-token-", 0).factory());
        AccessTokenCache tokens = new AccessTokenCache(new TokenFetcher(exchange, appKey, appSecret, clock), clock,
                properties.token().refreshAhead(), fetchExecutor, meters);
        return new DingTalkTransport(exchange, tokens, retryTemplate(properties.retry(), meters), pacer);
    }

    private static WebClient webClient(DingTalkProperties properties, WebClient.Builder builder) {
        Duration connect = properties.timeout().connect();
        // Callers beyond the 64 connections wait for one, bounded in time (the connect timeout) and not
        // in number: Reactor Netty's default of 2 x 64 waiting callers failed bursts (ConnectionPoolTests).
        ConnectionProvider pool = ConnectionProvider.builder("dingtalk")
                .maxConnections(64)
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(connect)
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        HttpClient http = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(connect.toMillis()))
                .responseTimeout(properties.timeout().response());
        return builder.clone()
                .clientConnector(new ReactorClientHttpConnector(http))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(MAX_ANSWER_BYTES))
                .build();
    }

    static RetryTemplate retryTemplate(DingTalkProperties.Retry retry, MeterRegistry meters) {
        TimeoutRetryPolicy deadline = new TimeoutRetryPolicy(retry.deadline().toMillis());
        CompositeRetryPolicy attemptsWithinDeadline = new CompositeRetryPolicy();
        attemptsWithinDeadline.setPolicies(new org.springframework.retry.RetryPolicy[] {
                new MaxAttemptsRetryPolicy(retry.maxAttempts()), deadline });
        return RetryTemplate.builder()
                .customPolicy(attemptsWithinDeadline)
                .retryOn(failure -> failure instanceof DingTalkException upstream && upstream.isTransient())
                .exponentialBackoff(retry.initialBackoff(), 2.0, retry.maxBackoff(), true)
                .withListeners(List.of(new RetryRecorder(meters)))
                .build();
    }

    private static String required(String value, String property) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(property + " is not set: the gateway cannot ask DingTalk for an access token");
        }
        return value;
    }

    /** Tells operators when DingTalk needed another try (a log line, a counter), without any token or body. */
    private static final class RetryRecorder implements RetryListener {
        private final MeterRegistry meters;

        RetryRecorder(MeterRegistry meters) {
            this.meters = meters;
        }

        @Override
        public <T, E extends Throwable> void onError(RetryContext context, RetryCallback<T, E> callback,
                Throwable failure) {
            if (failure instanceof DingTalkException upstream && upstream.isTransient()) {
                meters.counter("dingtalk.retryable.failures", "api", upstream.api(),
                        "outcome", upstream.getClass().getSimpleName()).increment();
                log.info("DingTalk call attempt {} failed: {}", context.getRetryCount(),
                        upstream.getMessage());
            }
        }
    }
}
