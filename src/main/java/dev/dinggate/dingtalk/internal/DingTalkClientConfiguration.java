package dev.dinggate.dingtalk.internal;

import dev.dinggate.budget.Budgets;
import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.dingtalk.DingTalkProperties;
import io.github.bucket4j.BlockingStrategy;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
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
import org.springframework.retry.RetryPolicy;
import org.springframework.retry.backoff.ExponentialRandomBackOffPolicy;
import org.springframework.retry.backoff.Sleeper;
import org.springframework.retry.backoff.ThreadWaitSleeper;
import org.springframework.retry.policy.CompositeRetryPolicy;
import org.springframework.retry.policy.MaxAttemptsRetryPolicy;
import org.springframework.retry.support.RetryTemplate;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.json.JsonMapper;

/** Wires the DingTalk client from {@link DingTalkProperties}. */
@Configuration(proxyBeanMethods = false)
class DingTalkClientConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DingTalkClientConfiguration.class);
    private static final int MAX_ANSWER_BYTES = 8 * 1024 * 1024;

    @Bean
    DingTalkTransport dingTalkTransport(
            DingTalkProperties properties,
            WebClient.Builder webClientBuilder,
            JsonMapper jsonMapper,
            Budgets budgets,
            ObjectProvider<Clock> clock,
            MeterRegistry meters) {
        return create(
                properties,
                webClientBuilder,
                jsonMapper,
                budgets,
                Timing.real(clock.getIfAvailable(Clock::systemUTC)),
                meters);
    }

    /**
     * How the transport tells and spends time. Tests pass a clock they move by hand, with waits that
     * move it instead of waiting.
     *
     * @param clock token lifetimes and the retry deadline
     * @param sleeper back-offs between attempts
     * @param parking waits for a turn under the budget
     */
    record Timing(Clock clock, Sleeper sleeper, BlockingStrategy parking) {

        static Timing real(Clock clock) {
            return new Timing(clock, new ThreadWaitSleeper(), BlockingStrategy.PARKING);
        }
    }

    /** Builds the transport without a Spring context, as the adapter's own tests do. */
    static DingTalkTransport create(
            DingTalkProperties properties,
            WebClient.Builder webClientBuilder,
            JsonMapper jsonMapper,
            Budgets budgets,
            Timing timing,
            MeterRegistry meters) {
        String appKey = required(properties.appKey(), "dingtalk.app-key");
        String appSecret = required(properties.appSecret(), "dingtalk.app-secret");
        OutboundPacer pacer =
                new OutboundPacer(budgets, properties.rateLimit(), timing.clock(), timing.parking(), meters);
        UpstreamExchange exchange = new UpstreamExchange(
                webClient(properties, webClientBuilder),
                new Envelopes(jsonMapper),
                pacer,
                properties.baseUrl(),
                properties.legacyBaseUrl(),
                properties.timeout().response(),
                meters);
        Executor fetchExecutor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("dingtalk-token-", 0).factory());
        AccessTokenCache tokens = new AccessTokenCache(
                new TokenFetcher(exchange, appKey, appSecret, timing.clock()),
                timing.clock(),
                properties.token().refreshAhead(),
                fetchExecutor,
                meters);
        return new DingTalkTransport(
                exchange, tokens, retryTemplate(properties.retry(), meters, timing.clock(), timing.sleeper()), pacer);
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

    /** Retries transient failures with jittered exponential back-off, within the attempts and the deadline. */
    static RetryTemplate retryTemplate(
            DingTalkProperties.Retry retry, MeterRegistry meters, Clock clock, Sleeper sleeper) {
        CompositeRetryPolicy attemptsWithinDeadline = new CompositeRetryPolicy();
        attemptsWithinDeadline.setPolicies(new RetryPolicy[] {
            new MaxAttemptsRetryPolicy(retry.maxAttempts()), new DeadlineRetryPolicy(clock, retry.deadline())
        });
        ExponentialRandomBackOffPolicy backOff = new ExponentialRandomBackOffPolicy();
        backOff.setInitialInterval(retry.initialBackoff().toMillis());
        backOff.setMultiplier(2.0);
        backOff.setMaxInterval(retry.maxBackoff().toMillis());
        backOff.setSleeper(sleeper);
        return RetryTemplate.builder()
                .customPolicy(attemptsWithinDeadline)
                .retryOn(failure -> failure instanceof DingTalkException upstream && upstream.isTransient())
                .customBackoff(backOff)
                .withListeners(List.of(new RetryRecorder(meters)))
                .build();
    }

    private static String required(String value, String property) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(
                    property + " is not set: the gateway cannot ask DingTalk for an access token");
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
        public <T, E extends Throwable> void onError(
                RetryContext context, RetryCallback<T, E> callback, Throwable failure) {
            if (failure instanceof DingTalkException upstream && upstream.isTransient()) {
                meters.counter(
                                "dingtalk.retryable.failures",
                                "api",
                                upstream.api(),
                                "outcome",
                                upstream.getClass().getSimpleName())
                        .increment();
                log.info("DingTalk call attempt {} failed: {}", context.getRetryCount(), upstream.getMessage());
            }
        }
    }
}
