package dev.dinggate.idempotency;

import org.jspecify.annotations.Nullable;

/**
 * The first answer to a key, as much of it as a replay needs: the status, the body and the headers
 * that describe them. Request ids, security and CORS headers belong to each response of their own.
 */
record StoredAnswer(
        int status, @Nullable String contentType, @Nullable String location, byte[] body) {}
