package dev.dinggate.dingtalk.stream;

import dev.dinggate.dingtalk.DingTalkProperties;
import dev.dinggate.dingtalk.stream.ConnectionOpener.Credentials;
import dev.dinggate.dingtalk.stream.ConnectionOpener.Ticket;
import dev.dinggate.dingtalk.stream.StreamConnection.Ending;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps one connection to DingTalk's event stream open on this replica, from the end of start-up (the last
 * phase: after the web server) to shutdown (the first phase: before the web server drains).
 *
 * <p>It speaks the documented Stream protocol itself (DingTalk's {@code app-stream-client} SDK cannot be pointed
 * at a test server: its open-connection host is private, it builds the WebSocket URL from host and port alone
 * and only speaks {@code wss}; it also brings its own shaded Netty, fastjson2 and 16 platform threads). The JDK's
 * HTTP client and WebSocket carry it, with Jackson for the frames.
 */
final class DingTalkStreamClient implements DingTalkStream, SmartLifecycle {

    static final String CONNECTED_METRIC = "gateway.dingtalk.stream.connected";
    static final String RECONNECTS_METRIC = "gateway.dingtalk.stream.reconnects";

    private static final Logger log = LoggerFactory.getLogger(DingTalkStreamClient.class);

    /** A connection that lived this long was a good one: the next pause starts from the shortest again. */
    private static final Duration STABLE_AFTER = Duration.ofMinutes(1);

    /** DingTalk closes a connection 10 s after announcing it; past this, this replica closes it. */
    private static final Duration ANNOUNCED_END_GRACE = Duration.ofSeconds(15);

    /** How long shutdown waits for running listeners, before the beans they use are closed. */
    private static final Duration LISTENER_GRACE = Duration.ofSeconds(5);

    private final DingTalkStreamProperties properties;
    private final DingTalkProperties dingTalk;
    private final Supplier<@Nullable DingTalkEventListener> listener;
    private final JsonMapper json;
    private final Clock clock;
    private final MeterRegistry meters;
    private final ExponentialBackOff backOff;
    private final Set<StreamConnection> open = ConcurrentHashMap.newKeySet();
    private final Object lifecycle = new Object();
    private final AtomicLong reconnects = new AtomicLong();

    private volatile @Nullable FrameDispatcher dispatcher;
    private volatile @Nullable Instant connectedSince;
    private @Nullable Thread supervisor;
    private @Nullable HttpClient http;
    private volatile boolean running;

    /**
     * @param listener read when the stream starts, not before: the listener may itself depend on this stream
     */
    DingTalkStreamClient(
            DingTalkStreamProperties properties,
            DingTalkProperties dingTalk,
            Supplier<@Nullable DingTalkEventListener> listener,
            JsonMapper json,
            Clock clock,
            MeterRegistry meters) {
        this.properties = properties;
        this.dingTalk = dingTalk;
        this.listener = listener;
        this.json = json;
        this.clock = clock;
        this.meters = meters;
        this.backOff = new ExponentialBackOff(properties.reconnectMinBackoff().toMillis(), 2.0);
        backOff.setMaxInterval(properties.reconnectMaxBackoff().toMillis());
        // Spreads the replicas of a fleet that lost DingTalk together (about ±20 % of each pause).
        backOff.setJitter(Math.max(1, properties.reconnectMinBackoff().toMillis() / 5));
    }

    @Override
    public StreamStatus status() {
        FrameDispatcher frames = dispatcher;
        if (frames == null) {
            return StreamStatus.disabled();
        }
        Instant since = connectedSince;
        return new StreamStatus(true, since != null, since, frames.lastEventAt(), frames.received(), reconnects.get());
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (running || !properties.enabled()) {
                return;
            }
            DingTalkEventListener receiver = listener.get();
            if (receiver == null) {
                log.info("dingtalk.stream.enabled is true but nothing listens for events: the stream stays closed");
                return;
            }
            Credentials credentials = credentials();
            FrameDispatcher frames = new FrameDispatcher(json, receiver, clock, meters);
            Gauge.builder(CONNECTED_METRIC, this, client -> client.connectedSince == null ? 0 : 1)
                    .description("1 while this replica's connection to DingTalk's event stream is open")
                    .strongReference(true)
                    .register(meters);
            Counter.builder(RECONNECTS_METRIC)
                    .description("Connections to DingTalk's event stream opened again after one was lost")
                    .register(meters);
            HttpClient client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(dingTalk.timeout().connect())
                    .build();
            dispatcher = frames;
            http = client;
            running = true;
            supervisor = Thread.ofVirtual()
                    .name("dingtalk-stream")
                    .start(() -> superviseConnections(client, credentials, frames));
        }
    }

    @Override
    public void stop() {
        Thread connecting;
        synchronized (lifecycle) {
            if (!running) {
                return;
            }
            running = false;
            connecting = supervisor;
        }
        if (connecting != null) {
            connecting.interrupt();
            try {
                connecting.join(Duration.ofSeconds(5));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        open.forEach(StreamConnection::close);
        connectedSince = null;
        FrameDispatcher frames = dispatcher;
        if (frames != null) {
            frames.stop(LISTENER_GRACE);
        }
        HttpClient client = http;
        if (client != null) {
            client.shutdownNow();
        }
        log.info("DingTalk event stream closed");
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void superviseConnections(HttpClient client, Credentials credentials, FrameDispatcher frames) {
        URI baseUrl = properties.baseUrl() != null ? properties.baseUrl() : dingTalk.baseUrl();
        ConnectionOpener opener = new ConnectionOpener(
                client, baseUrl, credentials, dingTalk.timeout().response(), json, userAgent(), localIp());
        BackOffExecution pauses = backOff.start();
        boolean connectedBefore = false;
        while (running) {
            String problem;
            @Nullable Ticket ticket = null;
            try {
                ticket = opener.open();
                StreamConnection connection = connect(client, ticket, frames);
                long openedAt = System.nanoTime();
                connectedSince = clock.instant();
                if (connectedBefore) {
                    reconnects.incrementAndGet();
                    meters.counter(RECONNECTS_METRIC).increment();
                }
                connectedBefore = true;
                log.info(
                        "DingTalk event stream connected to {}",
                        ticket.endpoint().getHost());
                Ending ending = awaitEnd(connection);
                connectedSince = null;
                if (ending.kind() == Ending.Kind.ANNOUNCED) {
                    // The old connection may still carry acknowledgements until DingTalk closes it.
                    CompletableFuture.delayedExecutor(
                                    ANNOUNCED_END_GRACE.toMillis(), TimeUnit.MILLISECONDS, Thread::startVirtualThread)
                            .execute(connection::close);
                    log.info("DingTalk announced the end of the stream connection: opening another");
                    pauses = backOff.start();
                    continue;
                }
                connection.close();
                if (System.nanoTime() - openedAt >= STABLE_AFTER.toNanos()) {
                    pauses = backOff.start();
                }
                problem = "connection lost (" + ending.detail() + ")";
            } catch (InterruptedException stopping) {
                break;
            } catch (ConnectionOpener.Refused refused) {
                problem = "DingTalk refused to open a connection (" + refused.getMessage() + ")";
            } catch (IOException | ExecutionException | TimeoutException | RuntimeException failure) {
                problem = "could not connect (" + describe(failure, credentials, ticket) + ")";
            } finally {
                connectedSince = null;
            }
            long pause = pauses.nextBackOff();
            log.warn("DingTalk event stream: {}; connecting again in {} ms", problem, pause);
            try {
                Thread.sleep(pause);
            } catch (InterruptedException stopping) {
                break;
            }
        }
    }

    private StreamConnection connect(HttpClient client, Ticket ticket, FrameDispatcher frames)
            throws InterruptedException, ExecutionException, TimeoutException {
        StreamConnection connection = new StreamConnection(frames::handle);
        open.add(connection);
        connection.ended().whenComplete((ending, failure) -> open.remove(connection));
        Duration handshake =
                dingTalk.timeout().connect().plus(dingTalk.timeout().response());
        try {
            client.newWebSocketBuilder()
                    .connectTimeout(dingTalk.timeout().connect())
                    .buildAsync(ticket.connectUri(), connection)
                    .get(handshake.toMillis(), TimeUnit.MILLISECONDS);
            return connection;
        } catch (InterruptedException | ExecutionException | TimeoutException | RuntimeException notOpened) {
            connection.close();
            throw notOpened;
        }
    }

    /** Until the connection ends; pings it when it is quiet, and gives it up when nothing at all comes back. */
    private Ending awaitEnd(StreamConnection connection) throws InterruptedException {
        long idle = properties.idleTimeout().toNanos();
        long checkEvery = Math.max(TimeUnit.MILLISECONDS.toNanos(10), idle / 6);
        while (true) {
            try {
                return connection.ended().get(checkEvery, TimeUnit.NANOSECONDS);
            } catch (ExecutionException impossible) {
                return new Ending(Ending.Kind.FAILED, "unknown");
            } catch (TimeoutException stillOpen) {
                long silent = System.nanoTime() - connection.lastFrameNanos();
                if (silent >= idle) {
                    connection.giveUp(Ending.Kind.SILENT, "nothing received for " + properties.idleTimeout());
                } else if (silent >= idle / 3) {
                    connection.ping();
                }
            }
        }
    }

    private Credentials credentials() {
        String appKey = dingTalk.appKey();
        String appSecret = dingTalk.appSecret();
        if (appKey == null || appKey.isBlank() || appSecret == null || appSecret.isBlank()) {
            throw new IllegalStateException(
                    "dingtalk.app-key and dingtalk.app-secret must be set to open DingTalk's event stream");
        }
        return new Credentials(appKey, appSecret);
    }

    /** A failure as it may be logged: its kind and message, with the secret and the ticket taken out. */
    private static String describe(Throwable failure, Credentials credentials, @Nullable Ticket ticket) {
        Throwable cause =
                failure instanceof ExecutionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof WebSocketHandshakeException refused) {
            return "the WebSocket handshake was answered with HTTP "
                    + refused.getResponse().statusCode();
        }
        String text = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        text = text.replace(credentials.appSecret(), "***");
        if (ticket != null) {
            text = text.replace(URLEncoder.encode(ticket.ticket(), StandardCharsets.UTF_8), "***")
                    .replace(ticket.ticket(), "***");
        }
        return text;
    }

    /** Tells DingTalk which host a connection comes from, for its own diagnosis. */
    private static @Nullable String localIp() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (IOException unknown) {
            return null;
        }
    }

    private static String userAgent() {
        String version = DingTalkStreamClient.class.getPackage().getImplementationVersion();
        return "dinggate/" + (version == null ? "development" : version);
    }
}
