package dev.dinggate.directory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every hour, on every replica: forgets the event ids and removals recorded more than a day ago. DingTalk delivers
 * an event again within minutes, and no read stays in flight for a day, so neither is needed longer; the delete is
 * the same whoever runs it.
 */
@Component
@ConditionalOnBooleanProperty(name = "gateway.directory.enabled", matchIfMissing = true)
class DirectoryPurge {

    static final Duration KEPT = Duration.ofDays(1);

    private static final Logger log = LoggerFactory.getLogger(DirectoryPurge.class);

    private final MirrorWriter writer;
    private final Clock clock;

    DirectoryPurge(MirrorWriter writer, ObjectProvider<Clock> clock) {
        this.writer = writer;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    @Scheduled(fixedDelay = 1, initialDelay = 1, timeUnit = TimeUnit.HOURS)
    void purge() {
        try {
            writer.purge(clock.instant().minus(KEPT));
        } catch (DataAccessException unavailable) {
            // Nothing is lost: the rows are purged on the next round.
            log.warn("Directory purge skipped, database unavailable: {}", unavailable.getMessage());
        }
    }
}
