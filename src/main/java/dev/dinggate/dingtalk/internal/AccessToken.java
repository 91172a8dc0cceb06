package dev.dinggate.dingtalk.internal;

import java.time.Instant;

/**
 * An access token and when it stops working.
 *
 * @param value the token itself: never log it
 * @param fetchedAt when the gateway received it
 * @param expiresAt when DingTalk stops accepting it
 */
record AccessToken(String value, Instant fetchedAt, Instant expiresAt) {

    @Override
    public String toString() {
        return "AccessToken[fetchedAt=" + fetchedAt + ", expiresAt=" + expiresAt + "]";
    }
}
