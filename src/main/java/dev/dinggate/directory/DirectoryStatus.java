package dev.dinggate.directory;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code GET /api/v1/directory/status}.
 *
 * @param state {@link DirectoryState} in lower case: {@code off}, {@code filling}, {@code ready} or {@code stale}
 * @param users users in the mirror
 * @param departments departments in the mirror
 * @param lastFullSyncAt when the last full sync completed, on any replica
 * @param lastEventAt when the last contact event was applied, on any replica
 * @param eventsReceived contact events applied by the fleet (duplicates not counted)
 * @param streamConnected whether this replica's connection to DingTalk's event stream is open
 */
public record DirectoryStatus(
        String state,
        long users,
        long departments,
        @Nullable Instant lastFullSyncAt,
        @Nullable Instant lastEventAt,
        long eventsReceived,
        boolean streamConnected) {}
