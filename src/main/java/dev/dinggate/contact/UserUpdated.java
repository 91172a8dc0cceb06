package dev.dinggate.contact;

import java.util.List;

/** Answer of a successful update: which user, and which fields were sent to DingTalk. */
public record UserUpdated(String userId, List<String> updatedFields) {}
