package dev.dinggate.directory;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The directory mirror's settings ({@code gateway.directory.*}).
 *
 * @param enabled keep the mirror (full sync, events) and serve reads from it; off, every read goes to DingTalk
 * @param fullSyncInterval how often one replica reads the whole organisation again while the stream is up
 * @param fullSyncIntervalWithoutStream the shorter interval used while this replica's stream connection is down,
 *        since events missed meanwhile are not delivered again
 * @param staleAfter the mirror counts as stale when neither a full sync nor an event confirmed it for this long
 * @param storeContactFields keep users' mobile numbers and e-mail addresses in the mirror (off by default: the
 *        mirror would be one more copy of personal data, and no mirror route searches by them)
 * @param pageSize users per {@code topapi/v2/user/list} call (DingTalk allows at most 100)
 * @param syncConcurrency departments read at once during a full sync (the pacer still holds each API to its
 *        quota; more only hides the round trip)
 * @param checkInterval how often each replica looks whether a full sync is due (one read of one row); the first
 *        look is this long after start
 * @param readCacheTime how long a replica keeps a mirrored user in memory at most (0: not at all). Every
 *        replica's write drops the users it touched from every replica's memory at once (PostgreSQL notifications),
 *        so this bounds only what a lost notification could leave; on H2 nothing is kept
 */
@ConfigurationProperties("gateway.directory")
public record DirectoryProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("6h") Duration fullSyncInterval,
        @DefaultValue("30m") Duration fullSyncIntervalWithoutStream,
        @DefaultValue("7h") Duration staleAfter,
        @DefaultValue("false") boolean storeContactFields,
        @DefaultValue("100") int pageSize,
        @DefaultValue("4") int syncConcurrency,
        @DefaultValue("15s") Duration checkInterval,
        @DefaultValue("30s") Duration readCacheTime) {

    public DirectoryProperties {
        if (pageSize < 1 || pageSize > 100) {
            throw new IllegalArgumentException("gateway.directory.page-size must be 1 to 100 (DingTalk's limit)");
        }
        if (syncConcurrency < 1) {
            throw new IllegalArgumentException("gateway.directory.sync-concurrency must be at least 1");
        }
        if (!fullSyncInterval.isPositive()
                || !fullSyncIntervalWithoutStream.isPositive()
                || !staleAfter.isPositive()
                || !checkInterval.isPositive()) {
            throw new IllegalArgumentException("gateway.directory's intervals must be positive");
        }
        if (readCacheTime.isNegative()) {
            throw new IllegalArgumentException("gateway.directory.read-cache-time must not be negative");
        }
    }
}
