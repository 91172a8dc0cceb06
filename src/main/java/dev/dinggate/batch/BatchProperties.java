package dev.dinggate.batch;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How batches are taken and worked through.
 *
 * @param maxItems most items one batch may hold
 * @param maxRequestBodySize largest body {@code POST /api/v1/batches} accepts (other routes keep
 *        {@code gateway.max-request-body-size})
 * @param chunkSize items a replica works through before it hands the batch back to the scheduler, which
 *        then lets any replica take the next chunk
 * @param quotaShare share of each DingTalk API's quota that batch items may use together; interactive
 *        calls keep the rest
 * @param heartbeat how often a replica working on a batch says so in the database
 * @param missedHeartbeats heartbeats missed before a replica counts as dead and another takes its batch
 *        over (take-over after about heartbeat × this, plus a polling interval)
 * @param pollingInterval how often a replica looks for batches to work on
 * @param threads batches a replica works on at once
 */
@ConfigurationProperties("gateway.batch")
record BatchProperties(
        @DefaultValue("1000") int maxItems,
        @DefaultValue("1MB") DataSize maxRequestBodySize,
        @DefaultValue("50") int chunkSize,
        @DefaultValue("0.8") double quotaShare,
        @DefaultValue("5s") Duration heartbeat,
        @DefaultValue("6") int missedHeartbeats,
        @DefaultValue("5s") Duration pollingInterval,
        @DefaultValue("4") int threads) {

    BatchProperties {
        if (!(quotaShare > 0 && quotaShare <= 1)) {
            throw new IllegalArgumentException("gateway.batch.quota-share must be more than 0 and at most 1");
        }
        if (missedHeartbeats < 4) {
            throw new IllegalArgumentException("gateway.batch.missed-heartbeats must be at least 4");
        }
        if (maxItems < 1 || chunkSize < 1 || threads < 1) {
            throw new IllegalArgumentException("gateway.batch.max-items, chunk-size and threads must be positive");
        }
    }
}
