package dev.dinggate.dingtalk;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The outbound pacing as operators see it.
 *
 * @param store where turns come from: {@code shared} (every replica's budget, in the database),
 *        {@code fallback} (this replica's share while the database cannot be reached) or {@code local}
 * @param qps configured calls per second for each DingTalk API, for the whole fleet
 * @param apis the budget of each API called since start, in calls per second for the fleet
 * @param fallbackReplicas a fallback share is the budget divided by this
 * @param fallbackSince when this replica fell back to its share, if it has
 * @param fallbackReason why it fell back: the kind of failure
 * @param refusedCalls calls refused since start because their turn was further away than {@code max-wait}
 */
public record PacingState(
        String store,
        int qps,
        Map<String, Integer> apis,
        int fallbackReplicas,
        @Nullable Instant fallbackSince,
        @Nullable String fallbackReason,
        long refusedCalls) {}
