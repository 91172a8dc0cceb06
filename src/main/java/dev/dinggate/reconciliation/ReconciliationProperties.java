package dev.dinggate.reconciliation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How UNKNOWN outcomes are checked with DingTalk.
 *
 * @param interval how often each replica looks for changes due a check (and refreshes the unsettled count)
 * @param delay how long a change is left UNKNOWN before its first check, so that DingTalk's reads show
 *        what its write did; each check that settles nothing doubles the wait before the next
 * @param maxAttempts checks that settle nothing before giving up: the change then stays UNKNOWN for a person
 * @param checksPerPass most checks one replica makes per interval, so that a flood of UNKNOWN changes
 *        does not crowd interactive reads out of DingTalk's quota
 * @param lease how long a replica holds the check of one change; longer than a check can take (a paced
 *        read with its retries), so that a replica that died mid-check frees it after this
 */
@ConfigurationProperties("gateway.reconciliation")
record ReconciliationProperties(
        @DefaultValue("1m") Duration interval,
        @DefaultValue("30s") Duration delay,
        @DefaultValue("5") int maxAttempts,
        @DefaultValue("100") int checksPerPass,
        @DefaultValue("5m") Duration lease) {}
