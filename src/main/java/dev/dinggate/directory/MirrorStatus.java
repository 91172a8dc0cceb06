package dev.dinggate.directory;

import static dev.dinggate.directory.Timestamps.instant;

import dev.dinggate.dingtalk.stream.DingTalkStream;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The mirror's state as the fleet shares it in the database, with this replica's stream connection; the gauges
 * {@code gateway.directory.users} and {@code gateway.directory.confirmed.age} while the mirror is on.
 */
@Component
public class MirrorStatus {

    private final JdbcClient jdbc;
    private final DirectoryProperties properties;
    private final ObjectProvider<DingTalkStream> stream;
    private final Clock clock;

    MirrorStatus(
            JdbcClient jdbc,
            DirectoryProperties properties,
            ObjectProvider<DingTalkStream> stream,
            ObjectProvider<Clock> clock,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.stream = stream;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
        if (properties.enabled()) {
            Gauge.builder("gateway.directory.users", this, MirrorStatus::usersOrUnknown)
                    .description("Users in the directory mirror")
                    .register(meters);
            // The age rather than a state gauge: Prometheus alerts on health's own rule (STALE once the age passes
            // stale-after) with the bound in plain sight in the expression, and the dashboard shows how close the
            // mirror comes to it before it is stale, which a 0/1 state would not.
            Gauge.builder("gateway.directory.confirmed.age", this, MirrorStatus::confirmedAgeOrUnknown)
                    .description("Seconds since a full sync or an event last confirmed the directory mirror, on any "
                            + "replica (NaN until the first full sync)")
                    .baseUnit("seconds")
                    .register(meters);
        }
    }

    /** @throws DataAccessException when the database does not answer */
    public DirectoryStatus status() {
        boolean connected = streamConnected();
        if (!properties.enabled()) {
            return new DirectoryStatus(DirectoryState.OFF.json(), 0, 0, null, null, 0, connected);
        }
        Instant now = clock.instant();
        return jdbc.sql("SELECT (SELECT COUNT(*) FROM directory_user) AS users, "
                        + "(SELECT COUNT(*) FROM directory_department) AS departments, "
                        + "last_full_sync_at, last_event_at, events_received FROM directory_state WHERE id = 1")
                .query((row, number) -> {
                    Instant lastFullSyncAt = instant(row, "last_full_sync_at");
                    Instant lastEventAt = instant(row, "last_event_at");
                    return new DirectoryStatus(
                            DirectoryState.of(lastFullSyncAt, lastEventAt, now, properties.staleAfter())
                                    .json(),
                            row.getLong("users"),
                            row.getLong("departments"),
                            lastFullSyncAt,
                            lastEventAt,
                            row.getLong("events_received"),
                            connected);
                })
                .single();
    }

    private boolean streamConnected() {
        DingTalkStream connection = stream.getIfAvailable();
        return connection != null && connection.status().connected();
    }

    private double usersOrUnknown() {
        try {
            return jdbc.sql("SELECT COUNT(*) FROM directory_user")
                    .query(Long.class)
                    .single();
        } catch (DataAccessException unavailable) {
            return Double.NaN;
        }
    }

    /**
     * Measured from the newer of the last full sync and the last event, as {@link DirectoryState#of} does; NaN while
     * no full sync has completed (FILLING, which is never STALE) and when the database does not answer.
     */
    private double confirmedAgeOrUnknown() {
        try {
            return jdbc.sql("SELECT last_full_sync_at, last_event_at FROM directory_state WHERE id = 1")
                    .query((row, number) -> {
                        Instant lastFullSyncAt = instant(row, "last_full_sync_at");
                        if (lastFullSyncAt == null) {
                            return Double.NaN;
                        }
                        Instant confirmed = DirectoryState.lastConfirmed(lastFullSyncAt, instant(row, "last_event_at"));
                        // Another replica's clock may run a little ahead of this one's: no negative age.
                        return Math.max(
                                0, Duration.between(confirmed, clock.instant()).toMillis() / 1000.0);
                    })
                    .single();
        } catch (DataAccessException unavailable) {
            return Double.NaN;
        }
    }
}
