package dev.dinggate.dingtalk.stream;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * This replica's stream connection.
 *
 * @param enabled {@code dingtalk.stream.enabled}, and a {@link DingTalkEventListener} exists: this replica keeps a
 *        connection open (when not, every other component is empty or zero)
 * @param connected a connection is open now
 * @param connectedSince when the open connection was opened
 * @param lastEventAt when this replica last received an event
 * @param eventsReceived events this replica received since it started (duplicates included)
 * @param reconnects connections opened again after one was lost
 */
public record StreamStatus(
        boolean enabled,
        boolean connected,
        @Nullable Instant connectedSince,
        @Nullable Instant lastEventAt,
        long eventsReceived,
        long reconnects) {

    public static StreamStatus disabled() {
        return new StreamStatus(false, false, null, null, 0, 0);
    }
}
