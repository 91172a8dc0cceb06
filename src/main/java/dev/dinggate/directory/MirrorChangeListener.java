package dev.dinggate.directory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Holds one connection with {@code LISTEN} on the {@link MirrorChannel} and drops from this replica's
 * {@link MirrorReadCache} the users any replica's write names. The cache answers only while the connection
 * listens; when it breaks, reads go to the database until it listens again (retried with back-off). Takes one
 * connection of the pool for the replica's life.
 */
@Component
class MirrorChangeListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MirrorChangeListener.class);

    /** How long one wait for notifications lasts: also how soon a stop is noticed. */
    private static final int POLL_MILLIS = 500;

    private static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final MirrorChannel channel;
    private final MirrorReadCache cache;

    private volatile boolean running;
    private Thread listener;

    MirrorChangeListener(DataSource dataSource, MirrorChannel channel, MirrorReadCache cache) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.cache = cache;
    }

    @Override
    public void start() {
        if (!cache.enabled()) {
            return;
        }
        running = true;
        listener = Thread.ofVirtual().name("directory-mirror-listener").start(this::listenWhileRunning);
    }

    @Override
    public void stop() {
        running = false;
        cache.live(false);
        if (listener != null) {
            try {
                listener.join(Duration.ofMillis(POLL_MILLIS * 4L));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listenWhileRunning() {
        Duration backoff = MIN_BACKOFF;
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                String name = channel.name(connection);
                if (name == null) {
                    log.info("Directory read cache off: the database is not PostgreSQL, so writes of other "
                            + "replicas could not reach it");
                    return;
                }
                try (Statement listen = connection.createStatement()) {
                    listen.execute("LISTEN " + name);
                }
                try {
                    cache.live(true);
                    backoff = MIN_BACKOFF;
                    PGConnection notifications = connection.unwrap(PGConnection.class);
                    while (running) {
                        PGNotification[] arrived = notifications.getNotifications(POLL_MILLIS);
                        if (arrived != null) {
                            Arrays.stream(arrived).forEach(this::evict);
                        }
                    }
                } finally {
                    unlisten(connection);
                }
            } catch (SQLException | RuntimeException failed) {
                if (running) {
                    log.warn(
                            "Directory read cache off until the database's notifications reach this replica again "
                                    + "(retry in {}): {}",
                            backoff,
                            failed.toString());
                }
            } finally {
                cache.live(false);
            }
            backoff = pause(backoff);
        }
    }

    /**
     * The connection goes back to the pool: one still listening would queue every later notification for
     * whichever borrower has it next (best effort: a broken connection is discarded by the pool anyway).
     */
    private static void unlisten(Connection connection) {
        try (Statement unlisten = connection.createStatement()) {
            unlisten.execute("UNLISTEN *");
        } catch (SQLException brokenAlready) {
            // Nothing to undo on a connection the pool will not hand out again.
        }
    }

    private void evict(PGNotification notification) {
        String payload = notification.getParameter();
        if (payload.equals(MirrorChannel.EVERY_USER)) {
            cache.evictAll();
        } else {
            cache.evict(Arrays.asList(payload.split(",")));
        }
    }

    private Duration pause(Duration backoff) {
        if (!running) {
            return backoff;
        }
        try {
            Thread.sleep(backoff);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            running = false;
        }
        Duration doubled = backoff.multipliedBy(2);
        return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
    }
}
