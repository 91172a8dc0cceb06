package dev.dinggate.dingtalk.stream;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket to DingTalk's stream: hands each whole text frame on, sends one message at a time (the JDK's
 * WebSocket allows no more), and tells how it ended.
 */
final class StreamConnection implements WebSocket.Listener {

    private static final Logger log = LoggerFactory.getLogger(StreamConnection.class);

    /** DingTalk's frames are small (its own SDK refuses frames over 256 KB); a larger one is not DingTalk's. */
    private static final int MAX_FRAME_CHARS = 1024 * 1024;

    private static final long CLOSE_WAIT_MILLIS = 1000;

    /** How a connection stopped serving. */
    record Ending(Kind kind, String detail) {
        enum Kind {
            /** DingTalk said (SYSTEM disconnect) it will close this connection soon. */
            ANNOUNCED,
            CLOSED,
            FAILED,
            SILENT,
            /** This replica closed it. */
            STOPPED
        }
    }

    private final BiConsumer<StreamConnection, String> frames;
    private final CompletableFuture<Ending> ended = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile @Nullable WebSocket socket;
    private volatile boolean closing;
    private volatile long lastFrameNanos = System.nanoTime();
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

    StreamConnection(BiConsumer<StreamConnection, String> frames) {
        this.frames = frames;
    }

    CompletableFuture<Ending> ended() {
        return ended;
    }

    /** When anything last arrived: a frame, a ping or the answer to one. */
    long lastFrameNanos() {
        return lastFrameNanos;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        if (closing) {
            // Closed while the handshake was still under way: nothing may be received on it.
            webSocket.abort();
            return;
        }
        lastFrameNanos = System.nanoTime();
        webSocket.request(1);
    }

    @Override
    public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        lastFrameNanos = System.nanoTime();
        partial.append(data);
        if (partial.length() > MAX_FRAME_CHARS) {
            partial.setLength(0);
            end(Ending.Kind.FAILED, "a frame larger than " + MAX_FRAME_CHARS + " characters");
            webSocket.abort();
            return null;
        }
        if (last) {
            String frame = partial.toString();
            partial.setLength(0);
            try {
                frames.accept(this, frame);
            } catch (RuntimeException failure) {
                log.warn("A DingTalk stream frame could not be handled", failure);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public @Nullable CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        lastFrameNanos = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public @Nullable CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        // The JDK answers the ping itself.
        lastFrameNanos = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public @Nullable CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        lastFrameNanos = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        end(Ending.Kind.CLOSED, "closed by DingTalk with status " + statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        end(Ending.Kind.FAILED, error.getClass().getSimpleName());
    }

    /** DingTalk announced that it will close this connection: it may still carry replies until then. */
    void announceEnd(String reason) {
        end(Ending.Kind.ANNOUNCED, reason);
    }

    void giveUp(Ending.Kind kind, String detail) {
        end(kind, detail);
        WebSocket webSocket = socket;
        if (webSocket != null) {
            webSocket.abort();
        }
    }

    void send(String text) {
        enqueue(webSocket -> webSocket.sendText(text, true));
    }

    void ping() {
        enqueue(webSocket -> webSocket.sendPing(ByteBuffer.wrap("dinggate".getBytes(StandardCharsets.US_ASCII))));
    }

    private void enqueue(java.util.function.Function<WebSocket, CompletableFuture<WebSocket>> message) {
        WebSocket webSocket = socket;
        if (webSocket == null || webSocket.isOutputClosed()) {
            return;
        }
        synchronized (this) {
            sending = sending.handle((sent, failure) -> null)
                    .thenCompose(previous -> message.apply(webSocket))
                    .whenComplete((sent, failure) -> {
                        if (failure != null) {
                            giveUp(Ending.Kind.FAILED, "a message could not be sent");
                        }
                    });
        }
    }

    /** Says goodbye (a Close frame), waits a moment for DingTalk's own, then drops the connection. */
    void close() {
        closing = true;
        WebSocket webSocket = socket;
        if (webSocket != null && !webSocket.isOutputClosed()) {
            webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "");
            try {
                ended.get(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException noAnswer) {
                // Dropped below.
            }
        }
        end(Ending.Kind.STOPPED, "closed by this replica");
        if (webSocket != null) {
            webSocket.abort();
        }
    }

    private void end(Ending.Kind kind, String detail) {
        ended.complete(new Ending(kind, detail));
    }
}
