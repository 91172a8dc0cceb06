package dev.dinggate.dingtalk.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dinggate.dingtalk.DingTalkProperties;
import dev.dinggate.dingtalk.stream.DingTalkEventListener.Acknowledgement;
import dev.dinggate.dingtalk.stream.FakeStreamGateway.Session;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The stream client against a fake DingTalk stream gateway on a loopback port, without a Spring context. */
@ExtendWith(OutputCaptureExtension.class)
class DingTalkStreamClientTests {

    private static final String APP_KEY = "stream-app";
    private static final String APP_SECRET = "stream-secret-never-logged";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final FakeStreamGateway gateway = new FakeStreamGateway(APP_KEY, APP_SECRET);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Map<String, String> settings = new HashMap<>(Map.of(
            "dingtalk.app-key", APP_KEY,
            "dingtalk.app-secret", APP_SECRET,
            "dingtalk.base-url", "http://127.0.0.1:9/unused",
            "dingtalk.stream.enabled", "true",
            "dingtalk.stream.base-url", gateway.baseUrl(),
            "dingtalk.stream.reconnect-min-backoff", "20ms",
            "dingtalk.stream.reconnect-max-backoff", "200ms"));
    private @Nullable DingTalkStreamClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.stop();
        }
        gateway.close();
    }

    private DingTalkStreamClient start(@Nullable DingTalkEventListener listener) {
        Binder binder = new Binder(new MapConfigurationPropertySource(settings));
        client = new DingTalkStreamClient(
                binder.bindOrCreate("dingtalk.stream", DingTalkStreamProperties.class),
                binder.bindOrCreate("dingtalk", DingTalkProperties.class),
                () -> listener,
                JsonMapper.builder().build(),
                Clock.systemUTC(),
                meters);
        client.start();
        return client;
    }

    private Session session(int number) {
        await().atMost(WAIT).until(() -> gateway.sessions().size() >= number);
        return gateway.sessions().get(number - 1);
    }

    private JsonNode reply(String messageId) {
        return await().atMost(WAIT).until(() -> gateway.reply(messageId), reply -> reply != null);
    }

    private static String status(JsonNode reply) {
        assertThat(reply.path("code").asInt()).isEqualTo(200);
        assertThat(reply.path("headers").path("contentType").asString()).isEqualTo("application/json");
        return reply.path("data").asString();
    }

    @Test
    void anEventReachesTheListenerOnAThreadOfItsOwnAndIsAcknowledgedOnlyOnceItReturned() throws Exception {
        BlockingQueue<DingTalkEvent> seen = new LinkedBlockingQueue<>();
        BlockingQueue<Thread> threads = new LinkedBlockingQueue<>();
        CountDownLatch release = new CountDownLatch(1);
        DingTalkStreamClient stream = start(event -> {
            seen.add(event);
            threads.add(Thread.currentThread());
            try {
                release.await();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            return Acknowledgement.SUCCESS;
        });

        Session session = session(1);
        session.push(
                FakeStreamGateway.event("m-1", "e-1", "user_modify_org", 1_700_000_000_000L, "{\"userId\":[\"u1\"]}"));
        DingTalkEvent event = seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(event)
                .isEqualTo(new DingTalkEvent(
                        "e-1",
                        "user_modify_org",
                        "ding-corp",
                        Instant.ofEpochMilli(1_700_000_000_000L),
                        "{\"userId\":[\"u1\"]}"));
        assertThat(threads.take().isVirtual()).isTrue();
        // The connection keeps serving while the listener works: a ping sent after the event is answered ...
        session.push(FakeStreamGateway.system("ping", "m-ping", "{\"opaque\":\"o-1\"}"));
        reply("m-ping");
        // ... and the event, whose listener has not returned, is not acknowledged yet.
        assertThat(gateway.reply("m-1")).isNull();

        release.countDown();

        assertThat(status(reply("m-1"))).isEqualTo("{\"status\":\"SUCCESS\"}");
        StreamStatus status = stream.status();
        assertThat(status.enabled()).isTrue();
        assertThat(status.connected()).isTrue();
        assertThat(status.connectedSince()).isNotNull();
        assertThat(status.lastEventAt()).isNotNull();
        assertThat(status.eventsReceived()).isEqualTo(1);
        assertThat(status.reconnects()).isZero();
        assertThat(meters.get("gateway.dingtalk.stream.events")
                        .tag("acknowledgement", "success")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("gateway.dingtalk.stream.connected").gauge().value())
                .isEqualTo(1);
    }

    @Test
    void anEventTheListenerFailsOnIsAskedForAgainAndItsDataIsNotLogged(CapturedOutput output) {
        start(event -> {
            if (event.eventType().equals("org_dept_create")) {
                return Acknowledgement.LATER;
            }
            throw new IllegalStateException("the mirror is unavailable");
        });

        Session session = session(1);
        session.push(FakeStreamGateway.event("m-1", "e-1", "user_add_org", 1L, "{\"userId\":[\"private-user-id\"]}"));
        session.push(FakeStreamGateway.event("m-2", "e-2", "org_dept_create", 1L, "{\"deptId\":[7]}"));

        assertThat(status(reply("m-1"))).isEqualTo("{\"status\":\"LATER\"}");
        assertThat(status(reply("m-2"))).isEqualTo("{\"status\":\"LATER\"}");
        assertThat(output.getAll()).contains("e-1").doesNotContain("private-user-id");
        assertThat(meters.get("gateway.dingtalk.stream.events")
                        .tag("acknowledgement", "later")
                        .counter()
                        .count())
                .isEqualTo(2);
    }

    @Test
    void aPingIsAnsweredWithItsDataAndACallbackIsAcknowledged() {
        start(event -> Acknowledgement.SUCCESS);

        Session session = session(1);
        session.push(FakeStreamGateway.system("ping", "m-ping", "{\"opaque\":\"123-dsfs\"}"));
        session.push(FakeStreamGateway.callback("m-callback"));

        JsonNode pong = reply("m-ping");
        assertThat(status(pong)).isEqualTo("{\"opaque\":\"123-dsfs\"}");
        assertThat(pong.path("message").asString()).isEqualTo("OK");
        assertThat(status(reply("m-callback"))).isEqualTo("{\"status\":\"SUCCESS\"}");
        assertThat(meters.find("gateway.dingtalk.stream.events").counters())
                .allSatisfy(events -> assertThat(events.count()).isZero());
    }

    @Test
    void theOpenRequestNamesTheAppItsSubscriptionAndTheGateway() {
        start(event -> Acknowledgement.SUCCESS);

        session(1);

        JsonNode request = gateway.openRequests().getFirst();
        assertThat(request.path("clientId").asString()).isEqualTo(APP_KEY);
        assertThat(request.path("clientSecret").asString()).isEqualTo(APP_SECRET);
        assertThat(request.path("subscriptions").toString()).isEqualTo("[{\"type\":\"EVENT\",\"topic\":\"*\"}]");
        assertThat(request.path("ua").asString()).startsWith("dinggate/");
    }

    @Test
    void anAnnouncedDisconnectOpensAnotherConnectionWithANewTicket() {
        DingTalkStreamClient stream = start(event -> Acknowledgement.SUCCESS);

        Session first = session(1);
        first.push(FakeStreamGateway.system("disconnect", "m-bye", "{\"reason\":\"connection is expired\"}"));
        Session second = session(2);
        second.push(FakeStreamGateway.event("m-1", "e-1", "user_leave_org", 1L, "{\"userId\":[\"u1\"]}"));

        assertThat(second.ticket()).isNotEqualTo(first.ticket());
        assertThat(status(reply("m-1"))).isEqualTo("{\"status\":\"SUCCESS\"}");
        assertThat(stream.status().connected()).isTrue();
        assertThat(stream.status().reconnects()).isEqualTo(1);
    }

    @Test
    void aDroppedConnectionIsOpenedAgain() {
        DingTalkStreamClient stream = start(event -> Acknowledgement.SUCCESS);

        session(1).drop();
        Session second = session(2);
        second.push(FakeStreamGateway.system("ping", "m-ping", "{}"));
        reply("m-ping");
        second.drop();
        session(3);

        await().atMost(WAIT)
                .until(() -> stream.status().connected() && stream.status().reconnects() == 2);
        assertThat(gateway.openRequests()).hasSize(3);
        assertThat(meters.get("gateway.dingtalk.stream.reconnects").counter().count())
                .isEqualTo(2);
    }

    @Test
    void aConnectionOnWhichNothingArrivesIsGivenUp() {
        settings.put("dingtalk.stream.idle-timeout", "300ms");
        gateway.answerPings(false);
        DingTalkStreamClient stream = start(event -> Acknowledgement.SUCCESS);

        session(1);
        session(2);

        await().atMost(WAIT).until(() -> stream.status().reconnects() >= 1);
    }

    @Test
    void refusedOpensAreTriedAgainWithLongerPausesUntilDingTalkAnswers(CapturedOutput output) {
        gateway.refuseOpensWith(500);
        DingTalkStreamClient stream = start(event -> Acknowledgement.SUCCESS);

        await().atMost(WAIT).until(() -> gateway.openRequests().size() >= 5);
        assertThat(stream.status().connected()).isFalse();
        assertThat(gateway.sessions()).isEmpty();
        gateway.refuseOpensWith(0);
        session(1);

        await().atMost(WAIT).until(() -> stream.status().connected());
        assertThat(stream.status().reconnects()).isZero();
        List<Long> pauses = pauses(output);
        // 20 ms doubling to 200 ms, each up to 20 % either way (never under 20 ms).
        assertThat(pauses.getFirst()).isBetween(16L, 24L);
        assertThat(pauses.get(3)).isBetween(128L, 192L);
        assertThat(pauses).allSatisfy(pause -> assertThat(pause).isLessThanOrEqualTo(200));
        assertThat(output.getAll()).contains("HTTP 500").doesNotContain(APP_SECRET);
    }

    @Test
    void wrongCredentialsAreTriedAgainWithoutEverLoggingTheSecret(CapturedOutput output) {
        String wrongSecret = "wrong-secret-also-never-logged";
        settings.put("dingtalk.app-secret", wrongSecret);
        DingTalkStreamClient stream = start(event -> Acknowledgement.SUCCESS);

        await().atMost(WAIT).until(() -> gateway.openRequests().size() >= 3);

        assertThat(stream.status().connected()).isFalse();
        assertThat(output.getAll())
                .contains("HTTP 401", "InvalidAuthentication")
                .doesNotContain(wrongSecret);
    }

    @Test
    void aRefusedTicketIsNotUsedAgainNorLogged(CapturedOutput output) {
        gateway.rejectTickets(true);
        DingTalkStreamClient stream = start(event -> Acknowledgement.SUCCESS);

        await().atMost(WAIT).until(() -> gateway.openRequests().size() >= 3);
        gateway.rejectTickets(false);
        session(1);

        await().atMost(WAIT).until(() -> stream.status().connected());
        assertThat(output.getAll())
                .contains("could not connect (the WebSocket handshake was answered with HTTP 403)")
                .doesNotContain("tk/", "tk%2F", APP_SECRET);
    }

    @Test
    void aDisabledStreamNeverConnectsAndSaysSo() {
        settings.put("dingtalk.stream.enabled", "false");
        DingTalkStreamClient stream = start(event -> Acknowledgement.SUCCESS);

        assertThat(stream.isRunning()).isFalse();
        assertThat(stream.status()).isEqualTo(StreamStatus.disabled());
        assertThat(gateway.openRequests()).isEmpty();
    }

    @Test
    void anEnabledStreamWithoutAListenerNeverConnects() {
        DingTalkStreamClient stream = start(null);

        assertThat(stream.isRunning()).isFalse();
        assertThat(stream.status()).isEqualTo(StreamStatus.disabled());
        assertThat(gateway.openRequests()).isEmpty();
    }

    @Test
    void shutdownClosesTheSocketAndConnectsNoMore() throws Exception {
        DingTalkStreamClient stream = start(event -> Acknowledgement.SUCCESS);
        Session session = session(1);
        await().atMost(WAIT).until(() -> stream.status().connected());

        stream.stop();

        assertThat(session.closed().get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo(WebSocketCloseStatus.NORMAL_CLOSURE);
        assertThat(stream.isRunning()).isFalse();
        assertThat(stream.status().connected()).isFalse();
        assertThat(meters.get("gateway.dingtalk.stream.connected").gauge().value())
                .isZero();
        assertThat(gateway.openRequests()).hasSize(1);
    }

    private static List<Long> pauses(CapturedOutput output) {
        Matcher matcher = Pattern.compile("connecting again in (\\d+) ms").matcher(output.getAll());
        return matcher.results().map(result -> Long.parseLong(result.group(1))).toList();
    }
}
