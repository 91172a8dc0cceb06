package dev.dinggate.dingtalk.internal;

import dev.dinggate.dingtalk.DingTalkException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquireTimeoutException;
import tools.jackson.databind.JsonNode;

/**
 * Sends one paced request to DingTalk and reads the answer. Every failure leaves here as a
 * {@link DingTalkException} whose kind says whether trying again is safe.
 */
final class UpstreamExchange {

    static final String TOKEN_HEADER = "x-acs-dingtalk-access-token";

    private final WebClient webClient;
    private final Envelopes envelopes;
    private final OutboundPacer pacer;
    private final URI baseUrl;
    private final URI legacyBaseUrl;
    private final Duration responseTimeout;
    private final MeterRegistry meters;

    UpstreamExchange(
            WebClient webClient,
            Envelopes envelopes,
            OutboundPacer pacer,
            URI baseUrl,
            URI legacyBaseUrl,
            Duration responseTimeout,
            MeterRegistry meters) {
        this.webClient = webClient;
        this.envelopes = envelopes;
        this.pacer = pacer;
        this.baseUrl = baseUrl;
        this.legacyBaseUrl = legacyBaseUrl;
        this.responseTimeout = responseTimeout;
        this.meters = meters;
    }

    JsonNode send(ApiCall call, @Nullable AccessToken token) {
        pacer.awaitTurn(call);
        long start = System.nanoTime();
        try {
            JsonNode answer = exchange(call, token);
            record(call, start, "success", "none");
            return answer;
        } catch (DingTalkException failed) {
            record(call, start, failed.getClass().getSimpleName(), Objects.toString(failed.upstreamCode(), "none"));
            throw failed;
        }
    }

    /** One timer per DingTalk API, outcome and DingTalk code: the code is DingTalk's, so its set is small. */
    private void record(ApiCall call, long start, String outcome, String code) {
        Timer.builder("dingtalk.calls")
                .description("Calls to DingTalk, each attempt counted")
                .tags("api", call.name(), "outcome", outcome, "code", code)
                .register(meters)
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }

    private JsonNode exchange(ApiCall call, @Nullable AccessToken token) {
        RawResponse raw;
        try {
            raw = webClient
                    .method(call.method())
                    .uri(uri(call, token))
                    .headers(headers -> {
                        if (token != null && call.host() == ApiCall.Host.NEW) {
                            headers.set(TOKEN_HEADER, token.value());
                        }
                    })
                    .contentType(MediaType.APPLICATION_JSON)
                    .accept(MediaType.APPLICATION_JSON)
                    .bodyValue(call.body() == null ? java.util.Map.of() : call.body())
                    .exchangeToMono(response -> response.bodyToMono(String.class)
                            .defaultIfEmpty("")
                            .map(body -> new RawResponse(
                                    response.statusCode().value(),
                                    response.headers().asHttpHeaders(),
                                    body)))
                    // Reactor Netty's response timeout resets on every read; this bounds the whole answer.
                    .timeout(responseTimeout)
                    .block();
        } catch (RuntimeException failure) {
            throw classifyTransportFailure(call, failure);
        }
        if (raw == null) {
            throw new DingTalkException.UnexpectedResponse(call.name(), 0, "no answer");
        }
        return envelopes.read(call, raw.status(), raw.headers(), raw.body());
    }

    private URI uri(ApiCall call, @Nullable AccessToken token) {
        URI base = call.host() == ApiCall.Host.NEW ? baseUrl : legacyBaseUrl;
        UriComponentsBuilder builder = UriComponentsBuilder.fromUri(base).path(call.path());
        if (token != null && call.host() == ApiCall.Host.LEGACY) {
            builder.queryParam("access_token", "{token}");
            return builder.encode().buildAndExpand(token.value()).toUri();
        }
        return builder.build().encode().toUri();
    }

    /**
     * A connection that never opened means DingTalk never saw the request: always safe to retry.
     * Anything after that (timeout, reset, truncated answer) may have reached DingTalk, which only
     * a read may shrug off.
     */
    private static DingTalkException classifyTransportFailure(ApiCall call, RuntimeException failure) {
        if (failure instanceof DingTalkException known) {
            return known;
        }
        if (hasCause(failure, DataBufferLimitException.class)) {
            return new DingTalkException.UnexpectedResponse(call.name(), 0, "answer too large");
        }
        if (hasCause(failure, ConnectException.class)
                || hasCause(failure, UnknownHostException.class)
                || hasCause(failure, PoolAcquireTimeoutException.class)) {
            return new DingTalkException.Unreachable(call.name(), rootCause(failure));
        }
        boolean timedOut = hasCause(failure, TimeoutException.class) || hasCause(failure, ReadTimeoutException.class);
        if (!timedOut && !hasCause(failure, IOException.class)) {
            throw failure;
        }
        if (!call.idempotent()) {
            return new DingTalkException.OutcomeUnknown(call.name(), rootCause(failure));
        }
        return timedOut
                ? new DingTalkException.Timeout(call.name(), rootCause(failure))
                : new DingTalkException.Unreachable(call.name(), rootCause(failure));
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private record RawResponse(int status, HttpHeaders headers, String body) {}
}
