package dev.dinggate.directory;

import dev.dinggate.dingtalk.DingTalkUser;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The gateway's own successful changes, written to the mirror at once rather than when an event or the next full
 * sync brings them. They count as confirmed when written: a read that started earlier no longer replaces them. A
 * write that fails is logged and left to the event or the sync; the change itself succeeded. Does nothing while
 * the mirror is off.
 */
@Component
public class MirrorWriteThrough {

    private static final Logger log = LoggerFactory.getLogger(MirrorWriteThrough.class);

    private final MirrorWriter writer;
    private final boolean enabled;
    private final Clock clock;

    MirrorWriteThrough(MirrorWriter writer, DirectoryProperties properties, ObjectProvider<Clock> clock) {
        this.writer = writer;
        this.enabled = properties.enabled();
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /** A user created or updated, as the gateway now knows them. */
    public void userWritten(DingTalkUser user) {
        if (!enabled) {
            return;
        }
        try {
            writer.upsertUsers(List.of(user), clock.instant());
        } catch (RuntimeException failed) {
            log.warn(
                    "Directory mirror not updated after a change of user {}; the next event or sync will: {}",
                    user.userId(),
                    failed.toString());
        }
    }

    /** A user deleted. */
    public void userRemoved(String userId) {
        if (!enabled) {
            return;
        }
        try {
            writer.removeUser(userId, clock.instant());
        } catch (RuntimeException failed) {
            log.warn(
                    "Directory mirror not updated after the removal of user {}; the next event or sync will: {}",
                    userId,
                    failed.toString());
        }
    }
}
