package dev.dinggate.budget;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the rate budgets live. Bound to the same prefix as the DingTalk pacing settings, because they
 * are the fleet's half of them.
 *
 * @param shared keep the budgets in the database so that every replica draws from the same ones; off,
 *        each replica has budgets of its own in memory (the sandbox, a single process)
 * @param fallbackReplicas while the database cannot be reached, each replica spends budget / this; set it
 *        to the most replicas that can run at once, or together they exceed DingTalk's quota
 * @param storeTimeout longest a turn may take at the database (statement and lock timeouts, the pool's wait
 *        for a connection) before the replica falls back to its share; a database that stops answering
 *        altogether is noticed by the driver's socket timeout, this rounded up to whole seconds
 * @param probeInterval how often a replica that fell back asks whether the database answers again
 */
@ConfigurationProperties("dingtalk.rate-limit")
public record BudgetProperties(
        @DefaultValue("false") boolean shared,
        @DefaultValue("3") int fallbackReplicas,
        @DefaultValue("500ms") Duration storeTimeout,
        @DefaultValue("1s") Duration probeInterval) {

    public BudgetProperties {
        if (fallbackReplicas < 1) {
            throw new IllegalArgumentException(
                    "dingtalk.rate-limit.fallback-replicas must be at least 1, was " + fallbackReplicas);
        }
    }
}
