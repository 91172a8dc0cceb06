package dev.dinggate.directory;

import dev.dinggate.dingtalk.stream.DingTalkStream;
import dev.dinggate.dingtalk.stream.StreamStatus;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Every {@code gateway.directory.check-interval}, on every replica: runs a full sync if the fleet's last one is
 * older than the interval (or there was none), one replica at a time. The interval is the shorter one while this
 * replica's stream connection is down, since the events missed meanwhile are not delivered again.
 */
@Component
@ConditionalOnBooleanProperty(name = "gateway.directory.enabled", matchIfMissing = true)
class FullSyncSchedule implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(FullSyncSchedule.class);

    private final FullSync fullSync;
    private final DirectoryProperties properties;
    private final ObjectProvider<DingTalkStream> stream;

    FullSyncSchedule(FullSync fullSync, DirectoryProperties properties, ObjectProvider<DingTalkStream> stream) {
        this.fullSync = fullSync;
        this.properties = properties;
        this.stream = stream;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(
                new FixedDelayTask(this::check, properties.checkInterval(), properties.checkInterval()));
    }

    /** One look: whether a sync ran. */
    boolean check() {
        try {
            return fullSync.syncIfDue(interval()).isPresent();
        } catch (RuntimeException failed) {
            // FullSync logged it and counted it for the back-off; the next look tries again once that has passed.
            log.debug("Directory full sync failed", failed);
            return false;
        }
    }

    private Duration interval() {
        DingTalkStream connection = stream.getIfAvailable();
        return intervalWith(connection == null ? StreamStatus.disabled() : connection.status(), properties);
    }

    /** A replica without a stream (none configured) relies on the full sync alone, at its usual interval. */
    static Duration intervalWith(StreamStatus stream, DirectoryProperties properties) {
        return stream.enabled() && !stream.connected()
                ? properties.fullSyncIntervalWithoutStream()
                : properties.fullSyncInterval();
    }
}
