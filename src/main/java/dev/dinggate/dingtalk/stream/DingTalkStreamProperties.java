package dev.dinggate.dingtalk.stream;

import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * This replica's connection to DingTalk's event stream. The app key and secret are {@code dingtalk.app-key} and
 * {@code dingtalk.app-secret}.
 *
 * @param enabled open the stream (when a {@link DingTalkEventListener} exists to receive its events)
 * @param baseUrl host serving {@code /v1.0/gateway/connections/open}; unset: {@code dingtalk.base-url}
 * @param reconnectMinBackoff pause before connecting again after a connection was lost or refused; doubled
 *        (with jitter) after each failed attempt, and back to this once a connection has lived a minute
 * @param reconnectMaxBackoff longest pause between two attempts
 * @param idleTimeout a connection on which nothing at all arrived for this long (not even the answer to the
 *        WebSocket pings sent after a third of it) is given up and opened again
 */
@ConfigurationProperties("dingtalk.stream")
record DingTalkStreamProperties(
        @DefaultValue("false") boolean enabled,
        @Nullable URI baseUrl,
        @DefaultValue("1s") Duration reconnectMinBackoff,
        @DefaultValue("30s") Duration reconnectMaxBackoff,
        @DefaultValue("60s") Duration idleTimeout) {

    DingTalkStreamProperties {
        if (!reconnectMinBackoff.isPositive() || reconnectMaxBackoff.compareTo(reconnectMinBackoff) < 0) {
            throw new IllegalArgumentException(
                    "dingtalk.stream.reconnect-min-backoff must be positive and at most reconnect-max-backoff");
        }
        if (!idleTimeout.isPositive()) {
            throw new IllegalArgumentException("dingtalk.stream.idle-timeout must be positive");
        }
    }
}
