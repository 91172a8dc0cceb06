package dev.dinggate.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.dinggate.support.ApiRoutes;
import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.HeldAnswers;
import dev.dinggate.support.ProductionGatewayTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every operation against every kind of upstream fault: the answer is the problem detail of the
 * contract, after a bounded number of attempts (a change whose answer was lost exactly one), and
 * the audit row of a change ends in the right outcome. The table this test checks is the one in
 * docs/reliability.md ({@code -Dreliability.update=true} rewrites it).
 */
class UpstreamFaultTests extends ProductionGatewayTest {

    static final int MAX_ATTEMPTS = 3;
    private static final Path RELIABILITY = Path.of("docs/reliability.md");

    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void faultBudget(DynamicPropertyRegistry registry) {
        // Short, to keep 44 timeouts quick; slow faults outlast it by far (held answers, a 4 s dribble).
        registry.add("dingtalk.timeout.response", () -> "1s");
        registry.add("dingtalk.retry.max-attempts", () -> MAX_ATTEMPTS);
    }

    /** An operation of the API, the DingTalk call it makes, and whether it changes anything. */
    record Operation(
            String name,
            String method,
            String path,
            String body,
            String scope,
            String upstreamMethod,
            String upstreamPath,
            boolean legacy,
            boolean change) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * What the test must know of each operation that calls DingTalk and its route does not say: which DingTalk
     * call it makes, and whether the transport treats it as a change (never re-sent once it may have arrived). Keyed
     * by operationId; an operation with two ways of calling DingTalk has two cases.
     */
    record UpstreamCase(
            String name, String body, String upstreamMethod, String upstreamPath, boolean legacy, boolean change) {}

    static final Map<String, List<UpstreamCase>> UPSTREAM = Map.of(
            "changeDingTalkId",
            List.of(new UpstreamCase(
                    "change DingTalk ID", null, "POST", "/v1.0/contact/orgAccounts/dingTalkIds/change", false, true)),
            "makeVisibleInOtherOrgs",
            List.of(new UpstreamCase(
                    "visibility", null, "PUT", "/v1.0/contact/orgAccounts/mobiles/visibleInOtherOrg", false, true)),
            "userDetails",
            List.of(new UpstreamCase("user details", null, "POST", "/topapi/v2/user/get", true, false)),
            "lookupUser",
            List.of(
                    new UpstreamCase(
                            "lookup by unionId",
                            "{\"unionId\":\"u1\"}",
                            "POST",
                            "/topapi/user/getbyunionid",
                            true,
                            false),
                    new UpstreamCase(
                            "lookup by mobile",
                            "{\"mobile\":\"+86-13800001001\"}",
                            "POST",
                            "/topapi/v2/user/getbymobile",
                            true,
                            false)),
            "listEmployees",
            List.of(new UpstreamCase("every employee", null, "POST", "/topapi/v2/department/listsub", true, false)),
            "departmentTree",
            List.of(new UpstreamCase("departments", null, "POST", "/topapi/v2/department/listsub", true, false)),
            "createUser",
            List.of(new UpstreamCase("create user", null, "POST", "/topapi/v2/user/create", true, true)),
            "updateUser",
            List.of(new UpstreamCase("update user", null, "POST", "/topapi/v2/user/update", true, true)),
            "deleteUser",
            List.of(new UpstreamCase("delete user", null, "POST", "/topapi/v2/user/delete", true, true)));

    /** Every operation of the API that calls DingTalk, as its handler declares it, with the test's cases for it. */
    static final List<Operation> OPERATIONS = ApiRoutes.stream()
            .filter(route -> route.kind().callsDingTalk())
            .flatMap(route -> {
                List<UpstreamCase> cases = UPSTREAM.get(route.operationId());
                if (cases == null) {
                    throw new AssertionError("UPSTREAM has no case for " + route.operationId() + " (" + route + ")");
                }
                return cases.stream()
                        .map(upstream -> new Operation(
                                upstream.name(),
                                route.method(),
                                route.pathWith("user1001"),
                                upstream.body() != null ? upstream.body() : route.validBody(),
                                route.scope(),
                                upstream.upstreamMethod(),
                                upstream.upstreamPath(),
                                upstream.legacy(),
                                upstream.change()));
            })
            .toList();

    @Test
    void everyCaseBelongsToAnOperationOfTheApi() {
        assertThat(UPSTREAM.keySet())
                .containsExactlyInAnyOrderElementsOf(ApiRoutes.stream()
                        .filter(route -> route.kind().callsDingTalk())
                        .map(ApiRoutes.ApiRoute::operationId)
                        .toList());
    }

    /** A fault DingTalk (or the network) can show, and what the gateway must make of it. */
    enum Kind {
        CONNECTION_RESET,
        EMPTY_REPLY,
        TRUNCATED_BODY,
        MALFORMED_JSON,
        HTML_502,
        SLOW_HEADERS,
        SLOW_BODY,
        SYSTEM_BUSY,
        HTTP_429,
        QPS_LIMIT_APP,
        QPS_LIMIT_API,
        QPM_LIMIT,
        QPS_EXCEED,
        REQUEST_TOO_FAST,
        IP_PUNISHED,
        MONTHLY_QUOTA,
        TOKEN_REJECTED,
        CREDENTIALS_REJECTED
    }

    /** The contract for one fault: status, code, attempts and audit outcome, for reads and for changes. */
    record Expected(int status, String code, int attempts, String auditOutcome) {}

    static Expected expected(Kind kind, boolean change) {
        return switch (kind) {
            case CONNECTION_RESET, EMPTY_REPLY, TRUNCATED_BODY ->
                change
                        ? new Expected(504, "upstream.outcome-unknown", 1, "UNKNOWN")
                        : new Expected(502, "upstream.unreachable", MAX_ATTEMPTS, null);
            case SLOW_HEADERS, SLOW_BODY ->
                change
                        ? new Expected(504, "upstream.outcome-unknown", 1, "UNKNOWN")
                        : new Expected(504, "upstream.timeout", MAX_ATTEMPTS, null);
            case MALFORMED_JSON -> new Expected(502, "upstream.bad-response", 1, change ? "UNKNOWN" : null);
            case HTML_502 -> new Expected(502, "upstream.bad-response", MAX_ATTEMPTS, change ? "UNKNOWN" : null);
            case SYSTEM_BUSY, HTTP_429 -> new Expected(503, "upstream.busy", MAX_ATTEMPTS, change ? "FAILED" : null);
            case QPS_LIMIT_APP, QPS_LIMIT_API, QPM_LIMIT, QPS_EXCEED, REQUEST_TOO_FAST, IP_PUNISHED ->
                new Expected(503, "upstream.throttled", MAX_ATTEMPTS, change ? "FAILED" : null);
            case MONTHLY_QUOTA -> new Expected(503, "upstream.quota-exhausted", 1, change ? "FAILED" : null);
            case TOKEN_REJECTED -> new Expected(502, "dingtalk.token-rejected", 2, change ? "FAILED" : null);
            case CREDENTIALS_REJECTED ->
                new Expected(502, "dingtalk.credentials-rejected", 1, change ? "FAILED" : null);
        };
    }

    static Stream<Arguments> everyOperationAndFault() {
        return OPERATIONS.stream()
                .flatMap(operation -> Stream.of(Kind.values()).map(kind -> Arguments.of(operation, kind)));
    }

    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("everyOperationAndFault")
    void faultBecomesTheContractsProblemAfterBoundedAttempts(Operation operation, Kind kind) {
        inject(operation, kind);
        Expected expected = expected(kind, operation.change());

        GatewayHttp.Answer answer = http.send(
                operation.method(),
                operation.path(),
                jwts.token("fault-" + kind, operation.scope(), "manager4220"),
                operation.body() == null ? null : "application/json",
                operation.body());

        assertThat(answer.status()).isEqualTo(expected.status());
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.field("code")).isEqualTo(expected.code());
        assertThat(answer.response().body()).doesNotContain("Exception", "\tat ");
        if (expected.status() == 503 && !kind.equals(Kind.MONTHLY_QUOTA)) {
            assertThat(answer.header("Retry-After")).isNotBlank();
        }
        int attempts = dingTalk.countRequestsMatching(anyRequestedFor(urlPathEqualTo(operation.upstreamPath()))
                        .build())
                .getCount();
        assertThat(attempts).as("attempts at DingTalk").isEqualTo(expected.attempts());
        if (operation.change() || operation.name().equals("lookup by mobile")) {
            String outcome = jdbc.sql("SELECT outcome FROM audit_event WHERE request_id = :requestId")
                    .param("requestId", answer.header("X-Request-Id"))
                    .query(String.class)
                    .single();
            // A mobile look-up changes nothing: a lost answer is just a failed look-up; an unreadable one stays
            // UNKNOWN.
            assertThat(outcome)
                    .isEqualTo(
                            expected.auditOutcome() != null
                                    ? expected.auditOutcome()
                                    : expected.code().equals("upstream.bad-response") ? "UNKNOWN" : "FAILED");
        }
    }

    @Test
    void reliabilityDocumentHoldsThisTable() throws IOException {
        String table = table();
        if (Boolean.getBoolean("reliability.update")) {
            String document = Files.readString(RELIABILITY);
            int start = document.indexOf("<!-- fault-table:start -->");
            int end = document.indexOf("<!-- fault-table:end -->");
            Files.writeString(
                    RELIABILITY,
                    document.substring(0, start) + "<!-- fault-table:start -->\n" + table + document.substring(end));
        }
        assertThat(Files.readString(RELIABILITY))
                .as("docs/reliability.md is stale: -Dreliability.update=true")
                .contains(table);
    }

    private static String table() {
        String header =
                "| fault | read: status, code, attempts | change: status, code, attempts, audit |\n| --- | --- | --- |\n";
        return header
                + Stream.of(Kind.values())
                        .map(kind -> {
                            Expected read = expected(kind, false);
                            Expected change = expected(kind, true);
                            return "| " + describe(kind) + " | " + read.status() + " `" + read.code() + "`, "
                                    + read.attempts() + " | "
                                    + change.status() + " `" + change.code() + "`, " + change.attempts()
                                    + ", " + change.auditOutcome() + " |";
                        })
                        .collect(Collectors.joining("\n"))
                + "\n";
    }

    static String describe(Kind kind) {
        return switch (kind) {
            case CONNECTION_RESET -> "connection reset by peer";
            case EMPTY_REPLY -> "empty reply, connection closed";
            case TRUNCATED_BODY -> "200 headers, then garbage and close";
            case MALFORMED_JSON -> "200 with malformed JSON";
            case HTML_502 -> "502 with an HTML page";
            case SLOW_HEADERS -> "no headers within the response timeout";
            case SLOW_BODY -> "body dribbled past the response timeout";
            case SYSTEM_BUSY -> "500 `system.busy` / errcode -1";
            case HTTP_429 -> "429 `systemBusy`";
            case QPS_LIMIT_APP -> "403 `QpsLimitForAppkeyAndApi` / errcode 90018";
            case QPS_LIMIT_API -> "403 `QpsLimitForApi` / errcode 90002";
            case QPM_LIMIT -> "403 `QpmLimitForAppkeyAndApi`";
            case QPS_EXCEED -> "400 `qps.exceed.limit`";
            case REQUEST_TOO_FAST -> "400 `request.too.fast`";
            case IP_PUNISHED -> "per-IP ban `{\"status\":1111,...,\"punish\":\"deny\"}`";
            case MONTHLY_QUOTA -> "403 `ApiCountLimitForOrg` / errcode 90020";
            case TOKEN_REJECTED -> "`InvalidAuthentication` / errcode 40014, also after a fresh token";
            case CREDENTIALS_REJECTED -> "token refused, then app credentials rejected";
        };
    }

    private static void inject(Operation operation, Kind kind) {
        if (kind == Kind.CREDENTIALS_REJECTED) {
            // The cached token stops working, and the configured secret fetches no new one.
            dingTalk.stubFor(post(urlEqualTo("/v1.0/oauth2/accessToken"))
                    .willReturn(aResponse()
                            .withStatus(400)
                            .withHeader("Content-Type", "application/json")
                            .withBody("{\"code\":\"invalidClientIdOrSecret\"}")));
            dingTalk.stubFor(request(operation.upstreamMethod(), urlPathEqualTo(operation.upstreamPath()))
                    .willReturn(answer(operation.legacy(), 400, "InvalidAuthentication", "40014")));
            return;
        }
        var stub = request(operation.upstreamMethod(), urlPathEqualTo(operation.upstreamPath()));
        if (kind == Kind.SLOW_HEADERS) {
            // No headers until the next test: the gateway's response timeout decides.
            heldAnswers.hold();
            stub = HeldAnswers.held(stub);
        }
        dingTalk.stubFor(stub.willReturn(fault(kind, operation.legacy())));
    }

    private static ResponseDefinitionBuilder fault(Kind kind, boolean legacy) {
        return switch (kind) {
            case CONNECTION_RESET -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
            case EMPTY_REPLY -> aResponse().withFault(Fault.EMPTY_RESPONSE);
            case TRUNCATED_BODY -> aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE);
            case MALFORMED_JSON ->
                aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"result\": tru");
            case HTML_502 ->
                aResponse()
                        .withStatus(502)
                        .withHeader("Content-Type", "text/html")
                        .withBody("<html><body><h1>502 Bad Gateway</h1></body></html>");
            case SLOW_HEADERS -> okJson(legacy ? "{\"errcode\":0,\"result\":{}}" : "{\"result\":true}");
            case SLOW_BODY ->
                okJson(legacy ? "{\"errcode\":0,\"result\":{\"userid\":\"user1001\"}}" : "{\"result\":true}")
                        .withChunkedDribbleDelay(4, 4000);
            case SYSTEM_BUSY -> answer(legacy, 500, "system.busy", "-1");
            case HTTP_429 ->
                aResponse()
                        .withStatus(429)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":\"systemBusy\",\"message\":\"busy\"}");
            case QPS_LIMIT_APP -> answer(legacy, 403, "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi", "90018");
            case QPS_LIMIT_API -> answer(legacy, 403, "Forbidden.AccessDenied.QpsLimitForApi", "90002");
            case QPM_LIMIT -> answer(false, 403, "Forbidden.AccessDenied.QpmLimitForAppkeyAndApi", null);
            case QPS_EXCEED -> answer(false, 400, "qps.exceed.limit", null);
            case REQUEST_TOO_FAST -> answer(false, 400, "request.too.fast", null);
            case IP_PUNISHED ->
                aResponse()
                        .withStatus(403)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":1111,\"wait\":5,\"source\":\"x5\",\"punish\":\"deny\"}");
            case MONTHLY_QUOTA -> answer(legacy, 403, "Forbidden.AccessDenied.ApiCountLimitForOrg", "90020");
            case TOKEN_REJECTED -> answer(legacy, 400, "InvalidAuthentication", "40014");
            case CREDENTIALS_REJECTED -> throw new IllegalArgumentException("injected on the token endpoint");
        };
    }

    /** DingTalk's refusal in the style of the API called: HTTP status and code, or HTTP 200 and errcode. */
    private static ResponseDefinitionBuilder answer(boolean legacy, int status, String code, String errcode) {
        if (legacy && errcode != null) {
            return okJson("{\"errcode\":" + errcode + ",\"errmsg\":\"" + code + "\",\"request_id\":\"r1\"}");
        }
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"code\":\"" + code + "\",\"message\":\"" + code + "\",\"requestid\":\"r1\"}");
    }
}
