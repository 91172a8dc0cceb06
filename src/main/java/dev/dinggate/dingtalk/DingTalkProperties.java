package dev.dinggate.dingtalk;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the gateway reaches DingTalk.
 *
 * @param baseUrl new-style host serving {@code /v1.0/...}
 * @param legacyBaseUrl old-style host serving {@code /topapi/...} and {@code /gettoken}
 * @param appKey the internal app's key
 * @param appSecret the internal app's secret; set it from the environment or a secret store only
 * @param token access token caching
 * @param retry retry policy for transient failures
 * @param timeout network timeouts
 * @param rateLimit outbound pacing
 */
@ConfigurationProperties("dingtalk")
public record DingTalkProperties(
        @DefaultValue("https://api.dingtalk.io") URI baseUrl,
        @DefaultValue("https://oapi.dingtalk.io") URI legacyBaseUrl,
        @Nullable String appKey,
        @Nullable String appSecret,
        @DefaultValue Token token,
        @DefaultValue Retry retry,
        @DefaultValue Timeout timeout,
        @DefaultValue RateLimit rateLimit) {

    /**
     * @param refreshAhead fetch a new token this long before the cached one expires
     */
    public record Token(@DefaultValue("10m") Duration refreshAhead) {
    }

    /**
     * @param maxAttempts attempts per call, the first one included
     * @param initialBackoff pause before the second attempt; doubled (with jitter) for each later one
     * @param maxBackoff longest pause between two attempts
     * @param deadline no new attempt starts after this much time has passed since the first
     */
    public record Retry(
            @DefaultValue("4") int maxAttempts,
            @DefaultValue("200ms") Duration initialBackoff,
            @DefaultValue("2s") Duration maxBackoff,
            @DefaultValue("10s") Duration deadline) {
    }

    /**
     * @param connect time allowed to open a connection, and the longest a call waits for a pooled one
     * @param response time allowed for DingTalk's whole answer once the request is sent
     */
    public record Timeout(
            @DefaultValue("2s") Duration connect,
            @DefaultValue("10s") Duration response) {
    }

    /**
     * @param qps outbound calls per second for the app, across all DingTalk APIs
     * @param maxWait longest a call waits for its turn before it is refused as throttled
     */
    public record RateLimit(
            @DefaultValue("20") int qps,
            @DefaultValue("5s") Duration maxWait) {
    }
}
