package dev.dinggate.contact;

import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /api/v1/users/lookup}: exactly one of the two. Mobile numbers travel in the
 * body, never in a URL, so they stay out of access logs.
 */
record UserLookupRequest(
        @Size(min = 1, max = 64, message = "must be 1 to 64 characters") @Nullable
        String unionId,

        @Size(min = 3, max = 32, message = "must be 3 to 32 characters") @Nullable
        String mobile) {}
