package dev.dinggate.directory;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Whether the mirror can answer reads, as {@code GET /api/v1/directory/status} says in lower case. */
public enum DirectoryState {
    /** {@code gateway.directory.enabled} is false: every read goes to DingTalk. */
    OFF,
    /** No full sync has completed yet: the mirror may lack users and departments. */
    FILLING,
    READY,
    /** Neither a full sync nor an event confirmed the mirror for longer than {@code stale-after}. */
    STALE;

    /**
     * The state of an enabled mirror.
     *
     * @param lastFullSyncAt when the last full sync completed, on any replica
     * @param lastEventAt when the last event was applied, on any replica
     */
    public static DirectoryState of(
            @Nullable Instant lastFullSyncAt, @Nullable Instant lastEventAt, Instant now, Duration staleAfter) {
        if (lastFullSyncAt == null) {
            return FILLING;
        }
        return Duration.between(lastConfirmed(lastFullSyncAt, lastEventAt), now).compareTo(staleAfter) > 0
                ? STALE
                : READY;
    }

    /** When DingTalk last confirmed the mirror: the newer of the last full sync and the last event, if any. */
    static @Nullable Instant lastConfirmed(@Nullable Instant lastFullSyncAt, @Nullable Instant lastEventAt) {
        if (lastFullSyncAt == null || lastEventAt == null) {
            return lastFullSyncAt == null ? lastEventAt : lastFullSyncAt;
        }
        return lastEventAt.isAfter(lastFullSyncAt) ? lastEventAt : lastFullSyncAt;
    }

    /** As the API writes it. */
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
