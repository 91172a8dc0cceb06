package dev.dinggate.directory;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An answer of {@code GET /api/v1/directory/users}.
 *
 * @param nextCursor ask with it for the next page; null on the last page
 * @param asOf every user of this page was confirmed by DingTalk at or after this (the oldest item's {@code asOf};
 *        for an empty page, the mirror's last full sync or event)
 */
public record UserSearchPage(
        List<UserDetails> items,
        @Nullable String nextCursor,
        @Nullable Instant asOf) {}
