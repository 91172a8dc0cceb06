/**
 * Rate budgets that every replica shares: Bucket4j buckets in the gateway's PostgreSQL database, with a
 * local fallback while the database cannot be reached; in-memory buckets where nothing is shared.
 */
@NullMarked
package dev.dinggate.budget;

import org.jspecify.annotations.NullMarked;
