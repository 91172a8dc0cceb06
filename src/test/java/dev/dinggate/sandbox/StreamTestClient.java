package dev.dinggate.sandbox;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An app on the simulator's stream over a real WebSocket ({@code java.net.http}): keeps every frame it receives
 * and answers each EVENT as told, with DingTalk's acknowledgement or not at all.
 */
final class StreamTestClient implements WebSocket.Listener, AutoCloseable {

    /** How the app answers an EVENT frame. */
    enum Answer {
        SUCCESS,
        LATER,
        NONE
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile Answer answer;
    private WebSocket socket;
    /** java.net.http allows one send at a time: each waits for the one before. */
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

    private StreamTestClient(Answer answer) {
        this.answer = answer;
    }

    /** Connects to {@code endpoint?ticket=...}, as DingTalk's SDKs do. */
    static StreamTestClient connect(String endpoint, String ticket, Answer answer) throws Exception {
        StreamTestClient client = new StreamTestClient(answer);
        client.socket = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .buildAsync(URI.create(endpoint + "?ticket=" + ticket), client)
                .get(10, TimeUnit.SECONDS);
        return client;
    }

    void answerWith(Answer answer) {
        this.answer = answer;
    }

    List<JsonNode> frames() {
        return List.copyOf(frames);
    }

    /** The EVENT frames received whose data matches. */
    List<JsonNode> events(Predicate<JsonNode> data) {
        return frames.stream()
                .filter(frame -> frame.path("type").asString().equals("EVENT"))
                .filter(frame -> data.test(JSON.readTree(frame.path("data").asString())))
                .toList();
    }

    CompletableFuture<Integer> closed() {
        return closed;
    }

    /** Acknowledges a frame, as DingTalk's SDK does once its listener returned. */
    synchronized void acknowledge(String messageId, String status) {
        String ack = JSON.writeValueAsString(Map.of(
                "code",
                200,
                "headers",
                Map.of("contentType", "application/json", "messageId", messageId),
                "message",
                "OK",
                "data",
                JSON.writeValueAsString(Map.of("status", status))));
        sending = sending.thenCompose(sent -> socket.sendText(ack, true));
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            JsonNode frame = JSON.readTree(partial.toString());
            partial.setLength(0);
            frames.add(frame);
            if (frame.path("type").asString().equals("EVENT") && answer != Answer.NONE) {
                acknowledge(frame.path("headers").path("messageId").asString(), answer.name());
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    @Override
    public synchronized void close() {
        if (!socket.isOutputClosed()) {
            sending.thenCompose(sent -> socket.sendClose(WebSocket.NORMAL_CLOSURE, "done"))
                    .orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(failure -> null)
                    .join();
        }
        socket.abort();
    }
}
