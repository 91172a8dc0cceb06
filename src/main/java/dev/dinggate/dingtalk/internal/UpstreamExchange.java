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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.ExceptionTypeFilter;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquireTimeoutException;

/**
 * Sends one paced request to DingTalk and reads the answer. Every failure leaves here as a
 * {@link DingTalkException} whose kind says whether trying again is safe.
 *
 * <p>Why the {@link WebClient} is called here rather than through {@code @HttpExchange} interfaces
 * ({@code HttpServiceProxyFactory} over a {@code WebClientAdapter}): DingTalk says whether a call worked in
 * the body, not the status ({@code errcode} under HTTP 200, the per-IP limiter's answer under 200 or 403, an
 * HTML page under 200), while a proxy decodes 2xx bodies into the declared type and turns 4xx/5xx into
 * {@code WebClientResponseException}s, so each method would have to return the raw body for
 * {@link Envelopes} anyway. The pacing, the metrics, the permission named in errors and the rule that a
 * change is never re-sent all need the {@link ApiCall} of every call, which an interface method would have
 * to repeat beside it; the token goes in the query for one host and a header for the other, and is replaced
 * and the call re-sent when DingTalk refuses it. What a proxy would still take off this class is building
 * one URI.
 */
final class UpstreamExchange {

    static final String TOKEN_HEADER = "x-acs-dingtalk-access-token";

    private static final ExceptionTypeFilter TOO_LARGE = causedBy(DataBufferLimitException.class);
    private static final ExceptionTypeFilter NEVER_CONNECTED =
            causedBy(ConnectException.class, UnknownHostException.class, PoolAcquireTimeoutException.class);
    private static final ExceptionTypeFilter TIMED_OUT = causedBy(TimeoutException.class, ReadTimeoutException.class);
    private static final ExceptionTypeFilter BROKEN_OFF = causedBy(IOException.class);

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

    /** DingTalk's answer read as {@code answer} (see {@link Envelopes#read}). */
    <T> @Nullable T send(ApiCall call, @Nullable AccessToken token, Class<T> answer) {
        pacer.awaitTurn(call);
        long start = System.nanoTime();
        try {
            T read = exchange(call, token, answer);
            record(call, start, "success", "none");
            return read;
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

    private <T> @Nullable T exchange(ApiCall call, @Nullable AccessToken token, Class<T> answer) {
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
                    // DingTalk expects a JSON object even when a call has nothing to say.
                    .bodyValue(call.body() == null ? Map.of() : call.body())
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
        return envelopes.read(call, raw.status(), raw.headers(), raw.body(), answer);
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
        if (TOO_LARGE.match(failure, true)) {
            return new DingTalkException.UnexpectedResponse(call.name(), 0, "answer too large");
        }
        Throwable root = NestedExceptionUtils.getMostSpecificCause(failure);
        if (NEVER_CONNECTED.match(failure, true)) {
            return new DingTalkException.Unreachable(call.name(), root);
        }
        boolean timedOut = TIMED_OUT.match(failure, true);
        if (!timedOut && !BROKEN_OFF.match(failure, true)) {
            throw failure;
        }
        if (!call.idempotent()) {
            return new DingTalkException.OutcomeUnknown(call.name(), root);
        }
        return timedOut
                ? new DingTalkException.Timeout(call.name(), root)
                : new DingTalkException.Unreachable(call.name(), root);
    }

    /**
     * Spring's filter for {@code types}; {@code match(failure, true)} walks the failure's causes, as Reactor
     * wraps the socket's own exception.
     */
    @SafeVarargs
    private static ExceptionTypeFilter causedBy(Class<? extends Throwable>... types) {
        return new ExceptionTypeFilter(List.of(types), List.of(), false);
    }

    private record RawResponse(int status, HttpHeaders headers, String body) {}
}
