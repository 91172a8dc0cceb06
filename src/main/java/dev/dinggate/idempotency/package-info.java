/**
 * {@code Idempotency-Key} on every change: the caller's key claimed in a table every replica shares,
 * the first answer stored and replayed, never a second call to DingTalk for one key.
 */
@NullMarked
package dev.dinggate.idempotency;

import org.jspecify.annotations.NullMarked;
