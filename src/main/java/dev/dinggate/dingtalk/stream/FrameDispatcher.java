package dev.dinggate.dingtalk.stream;

import dev.dinggate.dingtalk.stream.DingTalkEventListener.Acknowledgement;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Answers each frame of the stream as the protocol asks: pings echoed, events handed to the listener on a
 * virtual thread of their own (it blocks on paced DingTalk calls; the connection must keep reading meanwhile)
 * and acknowledged with its answer once it returns.
 */
final class FrameDispatcher {

    static final String EVENTS_METRIC = "gateway.dingtalk.stream.events";

    private static final Logger log = LoggerFactory.getLogger(FrameDispatcher.class);

    private final JsonMapper json;
    private final DingTalkEventListener listener;
    private final Clock clock;
    private final Map<Acknowledgement, Counter> acknowledged = new EnumMap<>(Acknowledgement.class);
    private final ExecutorService events = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("dingtalk-stream-event-", 0).factory());
    private final AtomicLong received = new AtomicLong();
    private volatile @Nullable Instant lastEventAt;

    FrameDispatcher(JsonMapper json, DingTalkEventListener listener, Clock clock, MeterRegistry meters) {
        this.json = json;
        this.listener = listener;
        this.clock = clock;
        for (Acknowledgement acknowledgement : Acknowledgement.values()) {
            acknowledged.put(
                    acknowledgement,
                    Counter.builder(EVENTS_METRIC)
                            .description("Events received on DingTalk's stream, by the acknowledgement sent back")
                            .tag("acknowledgement", acknowledgement.name().toLowerCase(Locale.ROOT))
                            .register(meters));
        }
    }

    long received() {
        return received.get();
    }

    @Nullable
    Instant lastEventAt() {
        return lastEventAt;
    }

    void handle(StreamConnection from, String text) {
        JsonNode frame;
        try {
            frame = json.readTree(text);
        } catch (JacksonException notJson) {
            log.warn("Ignored a DingTalk stream frame that is not JSON");
            return;
        }
        JsonNode headers = frame.path("headers");
        String messageId = header(headers, "messageId");
        String data = frame.path("data").stringValue("");
        switch (frame.path("type").stringValue("")) {
            case "SYSTEM" -> system(from, header(headers, "topic"), messageId, data);
            case "EVENT" -> event(from, headers, messageId, data);
            // The gateway subscribes to no callback; one that comes anyway is not sent again.
            case "CALLBACK" -> acknowledge(from, messageId, Acknowledgement.SUCCESS);
            default -> log.debug("Ignored a DingTalk stream frame of an unknown type");
        }
    }

    private void system(StreamConnection from, @Nullable String topic, @Nullable String messageId, String data) {
        if ("ping".equals(topic)) {
            if (messageId != null) {
                from.send(reply(messageId, data));
            }
        } else if ("disconnect".equals(topic)) {
            from.announceEnd("DingTalk announced a disconnect");
        } else {
            log.debug("Ignored a DingTalk stream SYSTEM frame of an unknown topic");
        }
    }

    private void event(StreamConnection from, JsonNode headers, @Nullable String messageId, String data) {
        String eventId = header(headers, "eventId");
        String eventType = header(headers, "eventType");
        if (eventId == null || eventType == null) {
            // No listener could do anything with it, and asking for it again would bring the same frame back.
            log.warn("Acknowledged a DingTalk stream event without an eventId or eventType, unread");
            acknowledge(from, messageId, Acknowledgement.SUCCESS);
            return;
        }
        DingTalkEvent event = new DingTalkEvent(
                eventId,
                eventType,
                header(headers, "eventCorpId"),
                bornAt(header(headers, "eventBornTime")),
                data.isEmpty() ? "{}" : data);
        received.incrementAndGet();
        lastEventAt = clock.instant();
        try {
            events.execute(() -> {
                Acknowledgement answer = deliver(event);
                acknowledge(from, messageId, answer);
                acknowledged.get(answer).increment();
            });
        } catch (RejectedExecutionException stopping) {
            // Shutting down: unacknowledged, DingTalk sends it again (to another replica, or to this one later).
        }
    }

    private Acknowledgement deliver(DingTalkEvent event) {
        try {
            Acknowledgement answer = listener.onEvent(event);
            return answer == null ? Acknowledgement.LATER : answer;
        } catch (RuntimeException failure) {
            log.warn(
                    "The DingTalk event listener failed on event {} ({}): DingTalk is asked to send it again",
                    event.eventId(),
                    event.eventType(),
                    failure);
            return Acknowledgement.LATER;
        }
    }

    private void acknowledge(StreamConnection from, @Nullable String messageId, Acknowledgement acknowledgement) {
        if (messageId == null) {
            log.warn("A DingTalk stream frame without a messageId cannot be acknowledged");
            return;
        }
        from.send(reply(messageId, "{\"status\":\"" + acknowledgement.name() + "\"}"));
    }

    private String reply(String messageId, String data) {
        ObjectNode reply = json.createObjectNode();
        reply.put("code", 200);
        reply.putObject("headers").put("contentType", "application/json").put("messageId", messageId);
        reply.put("message", "OK");
        reply.put("data", data);
        return json.writeValueAsString(reply);
    }

    /** Lets running listeners finish (within {@code grace}) before the beans they use are closed. */
    void stop(Duration grace) {
        events.shutdown();
        try {
            if (!events.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("DingTalk event listeners still running after {}: interrupted", grace);
                events.shutdownNow();
            }
        } catch (InterruptedException interrupted) {
            events.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static @Nullable String header(JsonNode headers, String name) {
        JsonNode value = headers.path(name);
        String text = value.isString() || value.isNumber() ? value.asString() : null;
        return text == null || text.isBlank() ? null : text;
    }

    private static @Nullable Instant bornAt(@Nullable String epochMillis) {
        if (epochMillis == null) {
            return null;
        }
        try {
            return Instant.ofEpochMilli(Long.parseLong(epochMillis));
        } catch (NumberFormatException notMillis) {
            return null;
        }
    }
}
