package dev.dinggate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The simulator's event stream over real WebSockets: opening a connection, the events a change makes (through the
 * simulator's Contacts API, through the gateway's API, through the console), redelivery and the choice of one
 * connection per event.
 */
class SandboxEventStreamTests extends SandboxSimulatorTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final List<StreamTestClient> clients = new ArrayList<>();

    @AfterEach
    void closeConnections() {
        clients.forEach(StreamTestClient::close);
    }

    private static HttpResponse<String> open(String clientId, String clientSecret) {
        return post(
                "/sandbox/dingtalk/api/v1.0/gateway/connections/open",
                "{\"clientId\":\"" + clientId + "\",\"clientSecret\":\"" + clientSecret + "\","
                        + "\"subscriptions\":[{\"type\":\"EVENT\",\"topic\":\"*\"}],"
                        + "\"ua\":\"dinggate-test\",\"localIp\":\"127.0.0.1\"}");
    }

    private StreamTestClient connect(StreamTestClient.Answer answer) throws Exception {
        JsonNode opened = JSON.readTree(open(APP_KEY, APP_SECRET).body());
        StreamTestClient client = StreamTestClient.connect(
                opened.path("endpoint").asString(), opened.path("ticket").asString(), answer);
        clients.add(client);
        return client;
    }

    private static Predicate<JsonNode> aboutUser(String userId) {
        return data -> data.path("userId").isArray()
                && data.path("userId").size() == 1
                && data.path("userId").get(0).asString().equals(userId);
    }

    private static Predicate<JsonNode> aboutDepartment(long departmentId) {
        return data -> data.path("deptId").isArray()
                && data.path("deptId").size() == 1
                && data.path("deptId").get(0).asLong() == departmentId;
    }

    private static List<String> types(List<JsonNode> events) {
        return events.stream()
                .map(frame -> frame.path("headers").path("eventType").asString())
                .toList();
    }

    private static Set<String> eventIds(List<JsonNode> events) {
        Set<String> ids = new HashSet<>();
        events.forEach(frame -> ids.add(frame.path("headers").path("eventId").asString()));
        return ids;
    }

    private static HttpResponse<String> consoleTitle(String userId, String title) {
        return post("/sandbox/dingtalk/console/users/" + userId, "{\"title\":\"" + title + "\"}");
    }

    @Test
    void theAppsCredentialsOpenAConnectionToALocalEndpointWithATicketOfItsOwn() {
        HttpResponse<String> first = open(APP_KEY, APP_SECRET);
        HttpResponse<String> second = open(APP_KEY, APP_SECRET);

        assertThat(first.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(first.body());
        assertThat(answer.path("endpoint").asString()).matches("ws://127\\.0\\.0\\.1:\\d+/connect");
        assertThat(answer.path("ticket").asString()).isNotBlank();
        assertThat(JSON.readTree(second.body()).path("ticket")).isNotEqualTo(answer.path("ticket"));
    }

    @Test
    void wrongCredentialsAreRefusedWithTheTokenEndpointsCode() {
        HttpResponse<String> wrongSecret = open(APP_KEY, "guessed");
        HttpResponse<String> wrongKey = open("another-app", APP_SECRET);
        HttpResponse<String> token = post(
                "/sandbox/dingtalk/api/v1.0/oauth2/accessToken",
                "{\"appKey\":\"" + APP_KEY + "\",\"appSecret\":\"guessed\"}");

        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(wrongKey.statusCode()).isEqualTo(401);
        JsonNode refusal = JSON.readTree(wrongSecret.body());
        assertThat(refusal.path("code")).isEqualTo(JSON.readTree(token.body()).path("code"));
        assertThat(refusal.has("ticket")).isFalse();
        assertThat(refusal.path("requestid").asString()).isNotBlank();
    }

    @Test
    void aTicketOpensOneConnectionOnly() throws Exception {
        JsonNode opened = JSON.readTree(open(APP_KEY, APP_SECRET).body());
        String endpoint = opened.path("endpoint").asString();
        String ticket = opened.path("ticket").asString();
        clients.add(StreamTestClient.connect(endpoint, ticket, StreamTestClient.Answer.SUCCESS));

        assertThatThrownBy(() -> StreamTestClient.connect(endpoint, ticket, StreamTestClient.Answer.SUCCESS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(failure -> assertThat(((WebSocketHandshakeException) failure)
                                .getResponse()
                                .statusCode())
                        .isEqualTo(401));
        assertThatThrownBy(() -> StreamTestClient.connect(endpoint, "made-up", StreamTestClient.Answer.SUCCESS))
                .cause()
                .isInstanceOf(WebSocketHandshakeException.class);
    }

    @Test
    void createUpdateAndDeleteThroughTheContactsApiEachMakeTheirUserEvent() throws Exception {
        StreamTestClient app = connect(StreamTestClient.Answer.SUCCESS);
        String token = token();
        long legal = departmentNamed(token, "Legal team 1");

        JsonNode created = topapi(
                "/topapi/v2/user/create",
                token,
                "{\"name\":\"Stream One\",\"mobile\":\"+86-13655550001\",\"dept_id_list\":\"" + legal + "\"}");
        String userId = created.path("result").path("userid").asString();
        topapi("/topapi/v2/user/update", token, "{\"userid\":\"" + userId + "\",\"title\":\"Counsel\"}");
        topapi("/topapi/v2/user/delete", token, "{\"userid\":\"" + userId + "\"}");

        await().atMost(PATIENCE)
                .until(() -> eventIds(app.events(aboutUser(userId))).size() == 3);
        List<JsonNode> events = app.events(aboutUser(userId));
        assertThat(types(events)).containsExactlyInAnyOrder("user_add_org", "user_modify_org", "user_leave_org");
        for (JsonNode frame : events) {
            JsonNode headers = frame.path("headers");
            JsonNode data = JSON.readTree(frame.path("data").asString());
            assertThat(frame.path("specVersion").asString()).isEqualTo("1.0");
            assertThat(headers.path("topic").asString()).isEqualTo("*");
            assertThat(headers.path("messageId").asString()).isNotBlank();
            assertThat(headers.path("eventCorpId").asString()).isEqualTo(SandboxEventStream.CORP_ID);
            assertThat(headers.path("contentType").asString()).isEqualTo("application/json");
            assertThat(headers.path("eventBornTime").asString()).matches("\\d{13}");
            assertThat(data.path("eventId").asString())
                    .isEqualTo(headers.path("eventId").asString());
            assertThat(data.path("timeStamp").asLong())
                    .isEqualTo(Long.parseLong(headers.path("eventBornTime").asString()));
        }
    }

    @Test
    void aChangeThroughTheGatewaysApiReachesTheSimulatorAndItsStream() throws Exception {
        StreamTestClient app = connect(StreamTestClient.Answer.SUCCESS);
        String hr = "Basic " + Base64.getEncoder().encodeToString("hr:hr-password".getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> patched = send(HttpRequest.newBuilder(uri("/api/v1/users/user1003"))
                .header("Authorization", hr)
                .header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"title\":\"Chief accountant\"}")));

        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        await().atMost(PATIENCE).until(() -> !app.events(aboutUser("user1003")).isEmpty());
        assertThat(types(app.events(aboutUser("user1003")))).containsOnly("user_modify_org");
    }

    @Test
    void consoleChangesToUsersAndDepartmentsMakeTheirEventsAndShowInTheContactsApi() throws Exception {
        StreamTestClient app = connect(StreamTestClient.Answer.SUCCESS);
        String token = token();
        long operations = departmentNamed(token, "Operations");

        HttpResponse<String> title = consoleTitle("emp0005", "Night shift lead");
        HttpResponse<String> created = post(
                "/sandbox/dingtalk/console/departments", "{\"name\":\"Night shift\",\"parentId\":" + operations + "}");
        long night =
                JSON.readTree(created.body()).path("department").path("dept_id").asLong();
        HttpResponse<String> moved =
                post("/sandbox/dingtalk/console/users/emp0005", "{\"departmentIds\":[" + night + "]}");
        HttpResponse<String> notEmpty = delete("/sandbox/dingtalk/console/departments/" + night);
        HttpResponse<String> renamed =
                post("/sandbox/dingtalk/console/departments/" + night, "{\"name\":\"Night shift team\"}");
        JsonNode listed = topapi("/topapi/v2/user/list", token, "{\"dept_id\":" + night + ",\"cursor\":0,\"size\":2}")
                .path("result");
        post("/sandbox/dingtalk/console/users/emp0005", "{\"departmentIds\":[" + operations + "]}");
        HttpResponse<String> removed = delete("/sandbox/dingtalk/console/departments/" + night);

        assertThat(title.statusCode()).isEqualTo(200);
        JsonNode titleAnswer = JSON.readTree(title.body());
        assertThat(titleAnswer.path("eventType").asString()).isEqualTo("user_modify_org");
        assertThat(titleAnswer.path("user").path("title").asString()).isEqualTo("Night shift lead");
        assertThat(JSON.readTree(created.body()).path("eventType").asString()).isEqualTo("org_dept_create");
        assertThat(JSON.readTree(created.body())
                        .path("department")
                        .path("parent_id")
                        .asLong())
                .isEqualTo(operations);
        assertThat(moved.statusCode()).isEqualTo(200);
        assertThat(notEmpty.statusCode()).as("a department with members stays").isEqualTo(409);
        assertThat(JSON.readTree(renamed.body()).path("department").path("name").asString())
                .isEqualTo("Night shift team");
        assertThat(listed.path("list"))
                .singleElement()
                .satisfies(user -> assertThat(user.path("userid").asString()).isEqualTo("emp0005"));
        assertThat(removed.statusCode()).isEqualTo(200);
        assertThat(topapi("/topapi/v2/department/get", token, "{\"dept_id\":" + night + "}")
                        .path("errcode")
                        .asInt())
                .isEqualTo(40009);

        await().atMost(PATIENCE)
                .until(() -> eventIds(app.events(aboutDepartment(night))).size() == 3);
        assertThat(types(app.events(aboutDepartment(night))))
                .containsExactlyInAnyOrder("org_dept_create", "org_dept_modify", "org_dept_remove");
        await().atMost(PATIENCE)
                .until(() -> eventIds(app.events(aboutUser("emp0005"))).size() == 3);
        assertThat(types(app.events(aboutUser("emp0005")))).containsOnly("user_modify_org");
    }

    @Test
    void theConsoleRefusesWhatDingTalkWouldRefuse() {
        assertThat(consoleTitle("nobody42", "x").statusCode()).isEqualTo(404);
        assertThat(post("/sandbox/dingtalk/console/departments/987654", "{\"name\":\"x\"}")
                        .statusCode())
                .isEqualTo(404);
        assertThat(post("/sandbox/dingtalk/console/departments", "{\"name\":\"x\",\"parentId\":987654}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(post("/sandbox/dingtalk/console/departments/2", "{\"parentId\":3}")
                        .statusCode())
                .as("below itself")
                .isEqualTo(400);
        assertThat(post("/sandbox/dingtalk/console/users/emp0006", "{\"departmentIds\":[987654]}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(post("/sandbox/dingtalk/console/users/emp0006", "{\"nickname\":\"x\"}")
                        .statusCode())
                .as("an unknown field")
                .isEqualTo(400);
        assertThat(delete("/sandbox/dingtalk/console/departments/1").statusCode())
                .isEqualTo(400);
        assertThat(delete("/sandbox/dingtalk/console/users/nobody42").statusCode())
                .isEqualTo(404);
    }

    @Test
    void anEventNobodyAcknowledgesIsSentAgainWithItsEventIdAndANewMessageId() throws Exception {
        StreamTestClient app = connect(StreamTestClient.Answer.NONE);

        consoleTitle("emp0010", "Unacknowledged");

        await().atMost(PATIENCE).until(() -> app.events(aboutUser("emp0010")).size() >= 2);
        List<JsonNode> deliveries = app.events(aboutUser("emp0010"));
        assertThat(eventIds(deliveries)).hasSize(1);
        assertThat(deliveries.stream()
                        .map(frame -> frame.path("headers").path("messageId").asString())
                        .distinct())
                .hasSize(deliveries.size());
        // Settled, so that it does not reach the next test's connections.
        app.acknowledge(deliveries.getLast().path("headers").path("messageId").asString(), "SUCCESS");
    }

    @Test
    void anEventAcknowledgedLaterIsSentAgain() throws Exception {
        StreamTestClient app = connect(StreamTestClient.Answer.LATER);

        consoleTitle("emp0011", "Later");

        await().atMost(PATIENCE).until(() -> app.events(aboutUser("emp0011")).size() >= 2);
        assertThat(eventIds(app.events(aboutUser("emp0011")))).hasSize(1);
        app.answerWith(StreamTestClient.Answer.SUCCESS);
        List<JsonNode> deliveries = app.events(aboutUser("emp0011"));
        app.acknowledge(deliveries.getLast().path("headers").path("messageId").asString(), "SUCCESS");
    }

    @Test
    void anEventMadeWhileNoAppIsConnectedArrivesOnceOneConnects() throws Exception {
        consoleTitle("emp0012", "Waiting");

        StreamTestClient app = connect(StreamTestClient.Answer.SUCCESS);

        await().atMost(PATIENCE).until(() -> !app.events(aboutUser("emp0012")).isEmpty());
    }

    @Test
    void withTwoConnectionsOpenEachEventGoesToExactlyOneOfThem() throws Exception {
        StreamTestClient first = connect(StreamTestClient.Answer.SUCCESS);
        StreamTestClient second = connect(StreamTestClient.Answer.SUCCESS);

        for (int n = 1; n <= 20; n++) {
            assertThat(consoleTitle("emp0013", "Title " + n).statusCode()).isEqualTo(200);
        }

        await().atMost(PATIENCE).until(() -> {
            Set<String> all = new HashSet<>(eventIds(first.events(aboutUser("emp0013"))));
            all.addAll(eventIds(second.events(aboutUser("emp0013"))));
            return all.size() == 20;
        });
        Set<String> toFirst = eventIds(first.events(aboutUser("emp0013")));
        Set<String> toSecond = eventIds(second.events(aboutUser("emp0013")));
        assertThat(toFirst).doesNotContainAnyElementsOf(toSecond);
        // Chosen at random: twenty events all going to one of two connections has odds of one in half a million.
        assertThat(toFirst).isNotEmpty();
        assertThat(toSecond).isNotEmpty();
    }

    @Test
    void anOpenConnectionIsPingedWithAnOpaqueValue() throws Exception {
        StreamTestClient app = connect(StreamTestClient.Answer.SUCCESS);

        await().atMost(PATIENCE)
                .until(() -> app.frames().stream()
                        .anyMatch(frame -> frame.path("type").asString().equals("SYSTEM")
                                && frame.path("headers")
                                        .path("topic")
                                        .asString()
                                        .equals("ping")));
        JsonNode ping = app.frames().stream()
                .filter(frame -> frame.path("headers").path("topic").asString().equals("ping"))
                .findFirst()
                .orElseThrow();
        assertThat(ping.path("headers").path("messageId").asString()).isNotBlank();
        assertThat(JSON.readTree(ping.path("data").asString()).path("opaque").asString())
                .isNotBlank();
    }

    @Test
    void theConsoleCanMakeDingTalkCloseEveryConnectionAfterADisconnectNotice() throws Exception {
        StreamTestClient app = connect(StreamTestClient.Answer.SUCCESS);

        HttpResponse<String> answer = post("/sandbox/dingtalk/console/stream/disconnect", "{}");

        assertThat(JSON.readTree(answer.body()).path("closed").asInt()).isPositive();
        app.closed().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(app.frames())
                .anySatisfy(
                        frame -> assertThat(frame.path("headers").path("topic").asString())
                                .isEqualTo("disconnect"));
    }
}
