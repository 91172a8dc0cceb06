package dev.dinggate.sandbox;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * DingTalk's event stream for the sandbox organisation: a WebSocket server on 127.0.0.1 (an ephemeral port) that
 * speaks DingTalk's Stream protocol. Every change to the {@link SandboxDirectory} becomes an EVENT frame sent to one
 * open connection chosen at random, and is sent again (with a new messageId, the same eventId) until an app
 * acknowledges it with SUCCESS; each connection gets a SYSTEM ping now and then, and a SYSTEM disconnect before the
 * simulator closes it. Connections are opened with a ticket from {@code POST /v1.0/gateway/connections/open}.
 */
@Component
@Profile("sandbox")
class SandboxEventStream implements DirectoryChange.Listener, SmartLifecycle {

    /** The sandbox organisation's corpId, as events name it. */
    static final String CORP_ID = "dingsandboxcorp0000000000000001";

    private static final Logger log = LoggerFactory.getLogger(SandboxEventStream.class);

    private final SandboxStreamProperties properties;
    private final StreamTickets tickets;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, StreamConnection> connections = new ConcurrentHashMap<>();
    /** Events not yet acknowledged with SUCCESS, oldest first; guarded by this, as is {@link #byMessageId}. */
    private final Map<String, PendingEvent> pending = new LinkedHashMap<>();

    private final Map<String, PendingEvent> byMessageId = new HashMap<>();
    private volatile @Nullable DisposableServer server;
    private volatile @Nullable ScheduledExecutorService timer;

    SandboxEventStream(SandboxStreamProperties properties) {
        this.properties = properties;
        this.tickets = new StreamTickets(properties.ticketLifetime(), clock);
    }

    /**
     * Where an app connects, and the ticket it connects with: {@code endpoint?ticket=...}.
     *
     * @param events whether the app subscribed to EVENT frames
     */
    Opened open(boolean events) {
        DisposableServer running = server;
        if (running == null) {
            throw new IllegalStateException("the simulator's event stream is not running");
        }
        return new Opened("ws://127.0.0.1:" + running.port() + "/connect", tickets.issue(events));
    }

    /** The answer to an open-connection call. */
    record Opened(String endpoint, String ticket) {}

    /** Closes every open connection, each after a SYSTEM disconnect, as DingTalk does when it moves a connection. */
    int disconnectAll(String reason) {
        List<StreamConnection> open = new ArrayList<>(connections.values());
        for (StreamConnection connection : open) {
            connection.send(StreamFrames.disconnect(newId(), reason));
            connection.close();
        }
        return open.size();
    }

    @Override
    public synchronized void changed(DirectoryChange change) {
        long now = clock.millis();
        String eventId = newId();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("eventId", eventId);
        data.put(change.subjectField(), List.of(change.subjectId()));
        data.put("timeStamp", now);
        PendingEvent event = new PendingEvent(eventId, change.eventType(), now, StreamFrames.json(data));
        pending.put(eventId, event);
        send(event, now);
    }

    private void send(PendingEvent event, long now) {
        List<StreamConnection> open = connections.values().stream()
                .filter(StreamConnection::receivesEvents)
                .toList();
        if (open.isEmpty()) {
            event.dueAt = now; // waits for the next connection
            return;
        }
        StreamConnection connection = open.get(ThreadLocalRandom.current().nextInt(open.size()));
        String messageId = newId();
        event.messageIds.add(messageId);
        byMessageId.put(messageId, event);
        event.dueAt = now + properties.redeliverAfter().toMillis();
        connection.send(
                StreamFrames.event(messageId, event.eventId, event.eventType, CORP_ID, event.bornAt, event.data));
    }

    private synchronized void sendDue() {
        long now = clock.millis();
        long giveUpBefore = now - properties.giveUpAfter().toMillis();
        for (Iterator<PendingEvent> events = pending.values().iterator(); events.hasNext(); ) {
            PendingEvent event = events.next();
            if (event.bornAt < giveUpBefore) {
                events.remove();
                event.messageIds.forEach(byMessageId::remove);
            } else if (event.dueAt <= now) {
                send(event, now);
            }
        }
    }

    private synchronized void answered(StreamFrames.Reply reply) {
        PendingEvent event = byMessageId.get(reply.messageId());
        if (event == null) {
            return; // a ping's answer, or an event already acknowledged
        }
        if (reply.success()) {
            pending.remove(event.eventId);
            event.messageIds.forEach(byMessageId::remove);
        } else {
            event.dueAt = clock.millis() + properties.redeliverAfter().toMillis();
        }
    }

    private void ping() {
        connections.values().forEach(connection -> connection.send(StreamFrames.ping(newId(), newId())));
    }

    private Publisher<Void> connect(HttpServerRequest request, HttpServerResponse response) {
        List<String> given = new QueryStringDecoder(request.uri()).parameters().getOrDefault("ticket", List.of());
        StreamTickets.Ticket ticket = given.size() == 1 ? tickets.redeem(given.getFirst()) : null;
        if (ticket == null) {
            return response.status(HttpResponseStatus.UNAUTHORIZED)
                    .sendString(Mono.just("no valid ticket: open a connection first, and use its ticket once"));
        }
        return response.sendWebsocket((inbound, outbound) -> serve(ticket, inbound, outbound));
    }

    private Publisher<Void> serve(StreamTickets.Ticket ticket, WebsocketInbound inbound, WebsocketOutbound outbound) {
        StreamConnection connection = new StreamConnection(newId(), ticket.events());
        connections.put(connection.id(), connection);
        ScheduledExecutorService running = timer;
        if (running != null && !running.isShutdown()) {
            running.execute(this::sendDue); // events that waited for a connection
        }
        Mono<Void> receiving = inbound.receive()
                .asString()
                .doOnNext(text -> {
                    StreamFrames.Reply reply = StreamFrames.reply(text);
                    if (reply != null) {
                        answered(reply);
                    }
                })
                .then();
        Mono<Void> sending = outbound.sendString(connection.frames()).then();
        // Whichever side ends first ends the connection: the app closing it, or the simulator's disconnect.
        return Mono.firstWithSignal(receiving, sending).doFinally(signal -> {
            connections.remove(connection.id());
            connection.close();
        });
    }

    // start and stop are not synchronized: stop waits for the server's event loops, which may be about to take
    // this stream's lock for an acknowledgement.
    @Override
    public void start() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "sandbox-stream");
            thread.setDaemon(true);
            return thread;
        });
        long tick = Math.clamp(properties.redeliverAfter().toMillis() / 4, 50, 1000);
        scheduler.scheduleWithFixedDelay(this::sendDue, tick, tick, TimeUnit.MILLISECONDS);
        long ping = properties.pingInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::ping, ping, ping, TimeUnit.MILLISECONDS);
        timer = scheduler;
        DisposableServer bound = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.get("/connect", this::connect))
                .bindNow();
        server = bound;
        log.info("Sandbox DingTalk event stream on ws://127.0.0.1:{}/connect", bound.port());
    }

    @Override
    public void stop() {
        DisposableServer running = server;
        ScheduledExecutorService scheduler = timer;
        server = null;
        timer = null;
        disconnectAll("the sandbox is stopping");
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (running != null) {
            running.disposeNow(Duration.ofSeconds(5));
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** Before the web server takes requests, so that an open-connection call finds the stream; stops after it. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    /** An event sent until acknowledged; guarded by the stream. */
    private static final class PendingEvent {
        final String eventId;
        final String eventType;
        final long bornAt;
        final String data;
        /** Every messageId it was sent with: an acknowledgement of any of them settles it. */
        final List<String> messageIds = new ArrayList<>();
        /** When it is sent (again) unless acknowledged first. */
        long dueAt;

        PendingEvent(String eventId, String eventType, long bornAt, String data) {
            this.eventId = eventId;
            this.eventType = eventType;
            this.bornAt = bornAt;
            this.data = data;
        }
    }
}
