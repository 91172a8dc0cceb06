package dev.dinggate.batch;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dinggate.audit.AuditOutcome;
import dev.dinggate.audit.ChangeReconciled;
import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.HeldAnswers;
import dev.dinggate.support.ProductionGatewayTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** Batches end to end: validation as the single calls, every operation with DingTalk's failures, access, cancel. */
@TestPropertySource(properties = {"gateway.batch.polling-interval=100ms", "gateway.batch.chunk-size=3"})
class BatchApiTests extends ProductionGatewayTest {

    private static final String BATCHES = "/api/v1/batches";
    private static final String CHANGE_UPSTREAM = "/v1.0/contact/orgAccounts/dingTalkIds/change";
    private static final String VISIBILITY_UPSTREAM = "/v1.0/contact/orgAccounts/mobiles/visibleInOtherOrg";
    private static final String CREATE = "/topapi/v2/user/create";
    private static final String UPDATE = "/topapi/v2/user/update";
    private static final String DELETE = "/topapi/v2/user/delete";

    @Autowired
    JdbcClient jdbc;

    @Autowired
    BatchStore batches;

    @Autowired
    ApplicationEventPublisher events;

    private String admin() {
        return jwts.token("hr-admin", "accounts:write users:write", "manager4220");
    }

    private GatewayHttp.Answer submit(String bearer, String items) {
        return http.send("POST", BATCHES, bearer, "application/json", "{\"items\":[" + items + "]}");
    }

    private long stored() {
        return jdbc.sql("SELECT COUNT(*) FROM batch").query(Long.class).single()
                + jdbc.sql("SELECT COUNT(*) FROM batch_item").query(Long.class).single();
    }

    private JsonNode finished(String location, String bearer) {
        return await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> http.send("GET", location, bearer, null, null).json(),
                        batch -> batch.path("state").asString().matches("completed|cancelled")
                                && batch.path("counts").path("pending").asInt() == 0);
    }

    @Test
    void everyInvalidItemIsListedWithTheCodeItsSingleCallAnswersAndNothingIsQueued() {
        long before = stored();

        GatewayHttp.Answer answer = submit(admin(), """
                {"operation":"change-dingtalk-id","userId":"user1001","dingTalkId":"lisi2026"},
                {"operation":"change-dingtalk-id","userId":"user1001","dingTalkId":"1x"},
                {"operation":"make-visible","corpIds":[]},
                {"operation":"create-user","user":{"name":"Wang Wu","mobile":"13800001003","departmentIds":[]}},
                {"operation":"update-user","userId":"user1001","changes":{"mobile":"13800001004"}},
                {"operation":"delete-user","userId":"not a user id"},
                {"operation":"launch-rocket"},
                {"operation":"delete-user","userId":"user1001","optUserId":"x"},
                {"operation":"update-user","userId":"user1001","changes":{}},
                {"operation":"create-user","user":{"name":"Wang Wu","mobile":"not-a-number","departmentIds":[1]}}
                """);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.field("code")).isEqualTo("batch.invalid");
        List<String> errors = new ArrayList<>();
        answer.json()
                .path("errors")
                .forEach(error -> errors.add(
                        error.path("index").asInt() + " " + error.path("code").asString()));
        assertThat(errors)
                .containsExactly(
                        "1 dingtalk-id.invalid",
                        "2 visibility.invalid",
                        "3 department.invalid",
                        "4 user.mobile-immutable",
                        "5 request.invalid",
                        "6 request.invalid",
                        "7 request.unknown-field",
                        "8 request.invalid",
                        "9 user.mobile-invalid");
        assertThat(stored()).isEqualTo(before);
        assertThat(dingTalkCalls()).isZero();
    }

    @Test
    void aBatchHoldsOneToAThousandItems() {
        long before = stored();
        String thousandAndOne = String.join(
                ",", java.util.Collections.nCopies(1001, "{\"operation\":\"delete-user\",\"userId\":\"user1001\"}"));

        GatewayHttp.Answer tooMany = submit(admin(), thousandAndOne);
        GatewayHttp.Answer none = submit(admin(), "");

        // 1,001 items are some 50 KB: past the other routes' body limit, within the batch route's.
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.field("code")).isEqualTo("batch.invalid");
        assertThat(tooMany.field("detail")).contains("1 to 1000 items");
        assertThat(none.field("code")).isEqualTo("batch.invalid");
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void anItemNeedingAScopeTheCallerLacksRefusesTheWholeBatch() {
        long before = stored();
        String usersOnly = jwts.token("hr-sync", "users:write", "user1002");

        GatewayHttp.Answer answer = submit(usersOnly, """
                {"operation":"delete-user","userId":"user1001"},
                {"operation":"change-dingtalk-id","userId":"user1001","dingTalkId":"lisi2026"}""");

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.field("code")).isEqualTo("auth.forbidden");
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void visibilityItemsNeedTheCallersDingTalkUserIdAsTheSingleCallDoes() {
        long before = stored();
        String unlinked = jwts.token("svc", "accounts:write", null);

        GatewayHttp.Answer answer = submit(unlinked, "{\"operation\":\"make-visible\",\"corpIds\":[\"ding1\"]}");

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.field("code")).isEqualTo("caller.not-linked");
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void everyOperationEndsAsItsSingleCallWouldAndIsAuditedWithTheBatchId() {
        dingTalk.stubFor(post(urlEqualTo(CHANGE_UPSTREAM))
                .withRequestBody(containing("user1001"))
                .willReturn(okJson("{\"result\":true}")));
        dingTalk.stubFor(post(urlEqualTo(CHANGE_UPSTREAM))
                .withRequestBody(containing("user2002"))
                .willReturn(aJson(400, "{\"code\":\"have.been.set\",\"message\":\"already set\"}")));
        heldAnswers.hold();
        dingTalk.stubFor(HeldAnswers.held(post(urlEqualTo(CHANGE_UPSTREAM)).withRequestBody(containing("user3003")))
                .willReturn(okJson("{\"result\":true}")));
        dingTalk.stubFor(put(urlEqualTo(VISIBILITY_UPSTREAM)).willReturn(okJson("{\"result\":true}")));
        dingTalk.stubFor(post(urlPathEqualTo(CREATE))
                .willReturn(okJson("{\"errcode\":40103,\"errmsg\":\"Invitation sent. The user can Join "
                        + "Organization after accepting it\"}")));
        dingTalk.stubFor(post(urlPathEqualTo(UPDATE)).willReturn(okJson("{\"errcode\":60121,\"errmsg\":\"找不到该用户\"}")));
        dingTalk.stubFor(post(urlPathEqualTo(DELETE)).willReturn(okJson("{\"errcode\":-1,\"errmsg\":\"系统繁忙\"}")));

        GatewayHttp.Answer answer = submit(admin(), """
                {"operation":"change-dingtalk-id","userId":"user1001","dingTalkId":"lisi2026"},
                {"operation":"make-visible","corpIds":["ding1","ding1"],"fields":["status"]},
                {"operation":"create-user","user":{"name":"Wang Wu","mobile":"13800001003","departmentIds":[1]}},
                {"operation":"update-user","userId":"user1001","changes":{"title":"Lead"}},
                {"operation":"delete-user","userId":"user1001"},
                {"operation":"change-dingtalk-id","userId":"user2002","dingTalkId":"lisi2027"},
                {"operation":"change-dingtalk-id","userId":"user3003","dingTalkId":"lisi2028"}""");

        assertThat(answer.status()).isEqualTo(202);
        String location = answer.header("Location");
        assertThat(location).isEqualTo(BATCHES + "/" + answer.field("id"));
        assertThat(answer.json().path("total").asInt()).isEqualTo(7);

        JsonNode batch = finished(location, admin());
        JsonNode items = batch.path("items");
        assertThat(line(items.get(0))).isEqualTo("succeeded 200 null");
        assertThat(items.get(0).path("result").toString())
                .isEqualTo("{\"userId\":\"user1001\",\"dingTalkId\":\"lisi2026\"}");
        assertThat(line(items.get(1))).isEqualTo("succeeded 200 null");
        assertThat(items.get(1).path("result").toString())
                .isEqualTo("{\"corpIds\":[\"ding1\"],\"fields\":[\"status\"]}");
        assertThat(line(items.get(2))).isEqualTo("succeeded 202 null");
        assertThat(items.get(2).path("result").path("state").asString()).isEqualTo("invited");
        assertThat(line(items.get(3))).isEqualTo("failed 404 user.not-found");
        assertThat(items.get(3).path("result").path("upstreamCode").asString()).isEqualTo("60121");
        assertThat(line(items.get(4))).isEqualTo("failed 503 upstream.busy");
        assertThat(line(items.get(5))).isEqualTo("failed 409 dingtalk-id.already-changed");
        assertThat(line(items.get(6))).isEqualTo("unknown 504 upstream.outcome-unknown");
        assertThat(batch.path("state").asString()).isEqualTo("completed");
        assertThat(batch.path("counts").toString())
                .isEqualTo("{\"pending\":0,\"succeeded\":3,\"failed\":3,\"unknown\":1,\"cancelled\":0}");

        // Busy is retried as the single call retries it (dingtalk.retry.max-attempts); the unknown one is sent once.
        dingTalk.verify(4, postRequestedFor(urlPathEqualTo(DELETE)));
        dingTalk.verify(1, postRequestedFor(urlEqualTo(CHANGE_UPSTREAM)).withRequestBody(containing("user3003")));
        List<String> audited = jdbc.sql("SELECT outcome FROM audit_event WHERE batch_id = :id ORDER BY occurred_at")
                .param("id", java.util.UUID.fromString(answer.field("id")))
                .query(String.class)
                .list();
        assertThat(audited).hasSize(7).containsOnly("SUCCEEDED", "FAILED", "UNKNOWN");
        assertThat(audited.stream().filter("UNKNOWN"::equals)).hasSize(1);
        GatewayHttp.Answer viaAudit = http.send(
                "GET",
                "/api/v1/audit-events?batchId=" + answer.field("id"),
                jwts.token("auditor", "audit:read", null),
                null,
                null);
        assertThat(viaAudit.json().path("items").size()).isEqualTo(7);

        // The reconciler settles the unknown item through the audit row of its attempt.
        java.util.UUID attempt = jdbc.sql(
                        "SELECT audit_event_id FROM batch_item WHERE batch_id = :id AND item_index = 6")
                .param("id", java.util.UUID.fromString(answer.field("id")))
                .query(java.util.UUID.class)
                .single();
        assertThat(jdbc.sql("SELECT outcome FROM audit_event WHERE id = :id")
                        .param("id", attempt)
                        .query(String.class)
                        .single())
                .isEqualTo("UNKNOWN");
        events.publishEvent(new ChangeReconciled(attempt, AuditOutcome.SUCCEEDED, Instant.now(), "read back"));
        assertThat(batches.settle(attempt, AuditOutcome.FAILED))
                .as("only an unknown item is settled")
                .isFalse();
        JsonNode settled = http.send("GET", location, admin(), null, null).json();
        // Settled as the reconciler found it; status and code stay those its call ended with.
        assertThat(line(settled.path("items").get(6))).isEqualTo("succeeded 504 upstream.outcome-unknown");
        assertThat(settled.path("counts").path("unknown").asInt()).isZero();
    }

    @Test
    void aBatchIsSeenByItsCreatorAndAuditorsOnlyAndCancelledByItsCreator() {
        heldAnswers.hold();
        dingTalk.stubFor(
                HeldAnswers.held(post(urlPathEqualTo(DELETE))).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        GatewayHttp.Answer answer = submit(admin(), """
                {"operation":"delete-user","userId":"user1001"},
                {"operation":"delete-user","userId":"user1002"},
                {"operation":"delete-user","userId":"user1003"}""");
        String location = answer.header("Location");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> dingTalk.countRequestsMatching(
                                        postRequestedFor(urlPathEqualTo(DELETE)).build())
                                .getCount()
                        == 1);

        String stranger = jwts.token("someone-else", "accounts:write users:write", "user1009");
        assertThat(http.send("GET", location, stranger, null, null).field("code"))
                .isEqualTo("batch.not-found");
        assertThat(http.send("DELETE", location, stranger, null, null).status()).isEqualTo(404);
        String auditor = jwts.token("auditor", "audit:read", null);
        assertThat(http.send("GET", location, auditor, null, null).status()).isEqualTo(200);
        assertThat(http.send("DELETE", location, auditor, null, null).status()).isEqualTo(404);
        assertThat(http.send("GET", BATCHES + "/" + java.util.UUID.randomUUID(), admin(), null, null)
                        .field("code"))
                .isEqualTo("batch.not-found");

        GatewayHttp.Answer cancelled = http.send("DELETE", location, admin(), null, null);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().path("state").asString()).isEqualTo("cancelled");
        heldAnswers.release();

        JsonNode batch = finished(location, admin());
        assertThat(StreamSupport.stream(batch.path("items").spliterator(), false)
                        .map(item -> item.path("state").asString())
                        .toList())
                .containsExactly("succeeded", "cancelled", "cancelled");
        dingTalk.verify(1, postRequestedFor(urlPathEqualTo(DELETE)));
    }

    @Test
    void anInteractiveCallIsServedWhileABatchRunsInsteadOfQueueingBehindIt() {
        dingTalk.stubFor(post(urlPathEqualTo(DELETE)).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        String items = String.join(
                ",",
                java.util.stream.IntStream.range(0, 40)
                        .mapToObj(i -> "{\"operation\":\"delete-user\",\"userId\":\"batch-" + i + "\"}")
                        .toList());
        String location = submit(admin(), items).header("Location");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> dingTalk.countRequestsMatching(
                                        postRequestedFor(urlPathEqualTo(DELETE)).build())
                                .getCount()
                        >= 2);

        GatewayHttp.Answer interactive = http.send("DELETE", "/api/v1/users/interactive-1", admin(), null, null);

        assertThat(interactive.status()).isEqualTo(204);
        finished(location, admin());
        // DingTalk's journal, oldest first: the interactive call went out while most of the batch still waited.
        List<String> sentOrder = dingTalk.getAllServeEvents().stream()
                .filter(event -> event.getRequest().getUrl().startsWith(DELETE))
                .sorted(java.util.Comparator.comparing(
                        event -> event.getRequest().getLoggedDate()))
                .map(event -> event.getRequest().getBodyAsString())
                .toList();
        int interactiveAt = java.util.stream.IntStream.range(0, sentOrder.size())
                .filter(i -> sentOrder.get(i).contains("interactive-1"))
                .findFirst()
                .orElseThrow();
        assertThat(sentOrder).hasSize(41);
        assertThat(interactiveAt).isLessThan(20);
    }

    private static String line(JsonNode item) {
        return item.path("state").asString() + " " + item.path("status").asInt() + " "
                + (item.path("code").isNull() ? "null" : item.path("code").asString());
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder aJson(int status, String body) {
        return com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }
}
