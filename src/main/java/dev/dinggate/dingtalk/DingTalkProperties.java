package dev.dinggate.dingtalk;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
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
 * @param rateLimit outbound pacing, per DingTalk API
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
    public record Token(@DefaultValue("10m") Duration refreshAhead) {}

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
            @DefaultValue("10s") Duration deadline) {}

    /**
     * @param connect time allowed to open a connection, and the longest a call waits for a pooled one
     * @param response time allowed for DingTalk's whole answer once the request is sent
     */
    public record Timeout(
            @DefaultValue("2s") Duration connect,
            @DefaultValue("10s") Duration response) {}

    /**
     * @param qps outbound calls per second for the app and each DingTalk API, for the whole fleet (DingTalk
     *        counts every API of an app separately)
     * @param perApi an API's own budget where DingTalk grants it another, by API name (e.g. {@code contact.user.get})
     * @param maxWait longest a call waits for its turn before it is refused as throttled
     * @param headroomPercent turns are spaced this much wider than {@code qps} asks, so that calls delayed on
     *        their way by up to as many hundredths of a second still never put more than {@code qps} into
     *        one second at DingTalk
     */
    public record RateLimit(
            @DefaultValue("20") int qps,
            @DefaultValue Map<String, Integer> perApi,
            @DefaultValue("5s") Duration maxWait,
            @DefaultValue("5") int headroomPercent) {

        public RateLimit {
            if (qps < 1 || perApi.values().stream().anyMatch(value -> value == null || value < 1)) {
                throw new IllegalArgumentException("dingtalk.rate-limit.qps and .per-api.* must be at least 1");
            }
            if (headroomPercent < 0 || headroomPercent > 100) {
                throw new IllegalArgumentException("dingtalk.rate-limit.headroom-percent must be 0 to 100");
            }
        }

        /** The budget of one DingTalk API, in calls per second. */
        public int qpsOf(String api) {
            return perApi.getOrDefault(api, qps);
        }
    }
}
