package dev.dinggate.dingtalk.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What DingTalk's per-IP limiter answers in place of any API:
 * {@code {"status":1111,"wait":5,"source":"x5","punish":"deny"}}.
 *
 * @param waitSeconds {@code wait}: seconds to wait before calling again
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record IpLimiterAnswer(@JsonProperty("wait") @Nullable Long waitSeconds) {

    /** At least a second, also when the limiter names no wait. */
    Duration retryAfter() {
        return Duration.ofSeconds(Math.max(1, waitSeconds == null ? 1 : waitSeconds));
    }
}
