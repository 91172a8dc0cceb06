package dev.dinggate.audit;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Audit trail settings.
 *
 * @param recoverPendingOlderThan at start-up, rows still PENDING and older than this are marked UNKNOWN;
 *        longer than any request can take, so rows of requests another replica is serving are left alone
 * @param retention rows older than this are purged; unset keeps every row forever
 * @param purgeCron when the purge runs (only with a retention)
 */
@ConfigurationProperties("gateway.audit")
record AuditProperties(
        @DefaultValue("10m") Duration recoverPendingOlderThan,
        @Nullable Duration retention,
        @DefaultValue("0 30 3 * * *") String purgeCron) {}
