package dev.dinggate.idempotency;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long {@code Idempotency-Key}s are remembered.
 *
 * @param retention how long the answer to a key is replayed; after it, the key may be used again
 * @param inFlightExpiry how long a key stays claimed by a request that has not answered: longer than any
 *        request can take, so that only a request whose replica died (or that ended without an answer)
 *        lets its key go this way
 */
@ConfigurationProperties("gateway.idempotency")
record IdempotencyProperties(
        @DefaultValue("24h") Duration retention,
        @DefaultValue("10m") Duration inFlightExpiry) {}
