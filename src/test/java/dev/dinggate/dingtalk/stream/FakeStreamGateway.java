package dev.dinggate.dingtalk.stream;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * DingTalk's side of the stream, on a loopback port: the open-connection call (which checks the app's key and
 * secret and hands out one-use tickets) and the WebSocket endpoint (which checks them), with frames pushed by
 * the test and every answer recorded.
 */
public final class FakeStreamGateway implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String appKey;
    private final String appSecret;
    private final DisposableServer server;
    private final List<JsonNode> openRequests = new CopyOnWriteArrayList<>();
    private final Set<String> unusedTickets = ConcurrentHashMap.newKeySet();
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final Map<String, JsonNode> replies = new ConcurrentHashMap<>();
    private volatile int refuseOpensWith;
    private volatile boolean answerPings = true;
    private volatile boolean rejectTickets;
    private volatile Consumer<JsonNode> onReply = reply -> {};

    public FakeStreamGateway(String appKey, String appSecret) {
        this.appKey = appKey;
        this.appSecret = appSecret;
        this.server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.post(ConnectionOpener.PATH, this::open).get("/connect", this::connect))
                .bindNow();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Every open-connection request so far, as sent. */
    public List<JsonNode> openRequests() {
        return openRequests;
    }

    /** Every WebSocket accepted so far, oldest first. */
    public List<Session> sessions() {
        return sessions;
    }

    /** The client's reply to the frame with this message id, once it came. */
    @Nullable
    public JsonNode reply(String messageId) {
        return replies.get(messageId);
    }

    /**
     * Runs {@code action} on each reply from the client as it arrives, before {@link #reply} returns it, so that
     * what the action sees was already true when the reply came. It runs on the server's I/O thread, which reads
     * nothing else of that connection meanwhile.
     */
    public void onReply(Consumer<JsonNode> action) {
        this.onReply = action;
    }

    /** Open requests are answered with this status (0: answered as DingTalk would). */
    public void refuseOpensWith(int status) {
        this.refuseOpensWith = status;
    }

    /** Refuses every WebSocket handshake (403), whatever its ticket. */
    public void rejectTickets(boolean reject) {
        this.rejectTickets = reject;
    }

    /** Whether WebSocket pings are answered (they are by default, as DingTalk does). */
    public void answerPings(boolean answer) {
        this.answerPings = answer;
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
    }

    private Publisher<Void> open(HttpServerRequest request, HttpServerResponse response) {
        return request.receive().aggregate().asString().defaultIfEmpty("{}").flatMap(body -> {
            JsonNode sent = JSON.readTree(body);
            openRequests.add(sent);
            int refusal = refuseOpensWith;
            if (refusal != 0) {
                return answer(response, refusal, "{\"code\":\"ServiceUnavailable\",\"message\":\"try later\"}");
            }
            if (!appKey.equals(sent.path("clientId").stringValue(null))
                    || !appSecret.equals(sent.path("clientSecret").stringValue(null))) {
                return answer(response, 401, "{\"code\":\"InvalidAuthentication\",\"message\":\"bad credentials\"}");
            }
            // Characters that must be encoded in a query, as a real ticket's may be.
            String ticket = "tk/" + UUID.randomUUID() + "+=&";
            unusedTickets.add(ticket);
            ObjectNode answer = JSON.createObjectNode();
            answer.put("endpoint", "ws://127.0.0.1:" + server.port() + "/connect");
            answer.put("ticket", ticket);
            return answer(response, 200, JSON.writeValueAsString(answer));
        });
    }

    private static Mono<Void> answer(HttpServerResponse response, int status, String body) {
        return response.status(status)
                .header("Content-Type", "application/json")
                .sendString(Mono.just(body))
                .then();
    }

    private Publisher<Void> connect(HttpServerRequest request, HttpServerResponse response) {
        List<String> tickets =
                new QueryStringDecoder(request.uri()).parameters().getOrDefault("ticket", List.of());
        if (rejectTickets || tickets.size() != 1 || !unusedTickets.remove(tickets.getFirst())) {
            return response.status(HttpResponseStatus.FORBIDDEN).send();
        }
        Session session = new Session(tickets.getFirst());
        return response.sendWebsocket(
                session::serve,
                WebsocketServerSpec.builder().handlePing(!answerPings).build());
    }

    /** One accepted WebSocket. */
    public final class Session {
        private final String ticket;
        private final Sinks.Many<String> outgoing = Sinks.many().unicast().onBackpressureBuffer();
        private final CompletableFuture<@Nullable WebSocketCloseStatus> closed = new CompletableFuture<>();
        private volatile @Nullable Connection connection;

        Session(String ticket) {
            this.ticket = ticket;
        }

        public String ticket() {
            return ticket;
        }

        /** Completes when the WebSocket is gone, with the close status the client sent (null: none). */
        public CompletableFuture<@Nullable WebSocketCloseStatus> closed() {
            return closed;
        }

        public void push(String frame) {
            outgoing.emitNext(frame, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
        }

        /** Drops the TCP connection without a Close frame, as a failing network does. */
        public void drop() {
            Connection open = connection;
            if (open != null) {
                open.dispose();
            }
        }

        private Publisher<Void> serve(WebsocketInbound in, WebsocketOutbound out) {
            in.withConnection(open -> connection = open);
            sessions.add(this);
            in.receiveCloseStatus().subscribe(closed::complete);
            Mono<Void> inbound = in.aggregateFrames()
                    .receiveFrames()
                    .doOnNext(frame -> {
                        if (frame instanceof TextWebSocketFrame text) {
                            JsonNode reply = JSON.readTree(text.text());
                            onReply.accept(reply);
                            replies.put(reply.path("headers").path("messageId").asString(), reply);
                        }
                    })
                    .then();
            Mono<Void> outbound = out.sendString(outgoing.asFlux()).then();
            return Mono.firstWithSignal(inbound, outbound).doFinally(signal -> closed.complete(null));
        }
    }

    public static String event(String messageId, String eventId, String eventType, long bornAtMillis, String data) {
        ObjectNode frame = frame("EVENT", "*", messageId, data);
        ((ObjectNode) frame.path("headers"))
                .put("eventId", eventId)
                .put("eventType", eventType)
                .put("eventCorpId", "ding-corp")
                .put("eventBornTime", Long.toString(bornAtMillis))
                .put("eventUnifiedAppId", "app-1");
        return JSON.writeValueAsString(frame);
    }

    public static String system(String topic, String messageId, String data) {
        return JSON.writeValueAsString(frame("SYSTEM", topic, messageId, data));
    }

    public static String callback(String messageId) {
        return JSON.writeValueAsString(frame("CALLBACK", "/v1.0/im/bot/messages/get", messageId, "{}"));
    }

    private static ObjectNode frame(String type, String topic, String messageId, String data) {
        ObjectNode frame = JSON.createObjectNode();
        frame.put("specVersion", "1.0");
        frame.put("type", type);
        frame.putObject("headers")
                .put("topic", topic)
                .put("messageId", messageId)
                .put("contentType", "application/json")
                .put("time", "1690362102194");
        frame.put("data", data);
        return frame;
    }
}
