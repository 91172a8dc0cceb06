package dev.dinggate.directory;

import java.time.Instant;

/**
 * One entry of the change feed: a mirrored user or department that was added, modified or removed.
 *
 * @param kind {@code user} or {@code department}
 * @param id the userId or the department id
 * @param change {@code added}, {@code modified} or {@code removed}
 * @param at when the mirror recorded it
 */
public record DirectoryChange(String kind, String id, String change, Instant at) {}
