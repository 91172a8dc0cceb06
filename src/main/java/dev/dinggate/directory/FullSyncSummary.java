package dev.dinggate.directory;

import java.time.Duration;

/**
 * What one full sync read and did.
 *
 * @param users distinct users read (one in several departments counts once)
 * @param departments departments read, the root included
 * @param calls DingTalk calls made (department reads, {@code listsub}, {@code user/list} pages), retries not
 *        counted
 * @param removedUsers users the mirror held that the sync did not find, removed at its end
 * @param removedDepartments departments likewise
 * @param duration from the claim of the lease to the end
 */
public record FullSyncSummary(
        long users, long departments, long calls, long removedUsers, long removedDepartments, Duration duration) {}
