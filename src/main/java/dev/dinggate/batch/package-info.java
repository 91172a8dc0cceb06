/**
 * Batches: up to a thousand changes submitted at once, validated up front as the single calls are, and
 * worked through in the background by db-scheduler on whichever replica is free, at a share of the quota;
 * each item is sent once at most, through the same feature service and audit as its single call.
 */
@NullMarked
package dev.dinggate.batch;

import org.jspecify.annotations.NullMarked;
