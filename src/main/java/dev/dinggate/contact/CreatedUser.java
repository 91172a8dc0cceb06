package dev.dinggate.contact;

import org.jspecify.annotations.Nullable;

/**
 * Answer of a create: 201 with state {@code created}, or 202 with state {@code invited} when DingTalk
 * sent an invitation instead (the user joins after accepting it).
 */
public record CreatedUser(
        String state, @Nullable String userId, @Nullable String unionId) {}
