package dev.dinggate.contact;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.ProductionGatewayTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * GET /api/v1/users against a simulated org: every employee once, the QPS budget never exceeded
 * (measured on WireMock's own request timestamps), and no more DingTalk calls once the caller is gone.
 */
class EmployeeWalkTests extends ProductionGatewayTest {

    private static final int QPS = 50;
    private static final String LIST_SUB = "/topapi/v2/department/listsub";
    private static final String LIST_ID = "/topapi/user/listid";

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void budget(DynamicPropertyRegistry registry) {
        registry.add("dingtalk.rate-limit.qps", () -> QPS);
        registry.add("dingtalk.rate-limit.max-wait", () -> "30s");
    }

    @Test
    void everyEmployeeOfA2000User120DepartmentOrgOnceEachCallPaced() {
        Set<String> expected = simulateOrg(120, 2_000);
        long turnsBefore = pacedCalls();

        GatewayHttp.Answer answer =
                http.send("GET", "/api/v1/users", jwts.token("hr-sync", "users:read", null), null, null);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("application/json");
        List<String> userIds = new ArrayList<>();
        answer.json().forEach(item -> userIds.add(item.path("userId").asString()));
        assertThat(userIds).hasSize(2_000).doesNotHaveDuplicates();
        assertThat(new HashSet<>(userIds)).isEqualTo(expected);
        // the root and 120 departments, each listed once for sub-departments and once for members
        assertThat(walkCalls()).isEqualTo(2 * 121);
        // and every one of them waited for its turn under the budget (the pacer's own tests check the spacing)
        assertThat(pacedCalls() - turnsBefore).isEqualTo(2 * 121);
    }

    @Test
    void ndjsonStreamsOneEmployeePerLine() {
        simulateOrg(5, 40);

        GatewayHttp.Answer ndjson = http.sendAccepting(
                "GET",
                "/api/v1/users?departmentId=1",
                jwts.token("hr-sync", "users:read", null),
                "application/x-ndjson");

        assertThat(ndjson.status()).isEqualTo(200);
        assertThat(ndjson.contentType()).startsWith("application/x-ndjson");
        List<String> rows = ndjson.response().body().lines().toList();
        assertThat(rows).hasSize(40).allSatisfy(row -> assertThat(row).matches("\\{\"userId\":\"u\\d+\"}"));
    }

    @Test
    void walkStopsCallingDingTalkOnceTheCallerHasGone() throws Exception {
        // DingTalk answers each call in 200 ms: a full walk (242 calls, 4 at a time) takes over 12 s, far
        // longer than the gateway takes to notice.
        simulateOrg(120, 12_000, 200);
        String token = jwts.token("hr-sync", "users:read", null);

        try (Socket socket = new Socket("localhost", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/users HTTP/1.1\r\nHost: localhost\r\nAccept: application/x-ndjson\r\n"
                            + "Authorization: Bearer " + token + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = in.readLine();
            } while (line != null && !line.contains("userId"));
            assertThat(line).as("the stream started").contains("userId");
        }

        // Once the gateway notices, calls stop: the count settles, far below the 242 a full walk makes.
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(new Settled()::check);
        assertThat(walkCalls()).isLessThan(121);
    }

    /** True once no new DingTalk call arrived since the previous check. */
    private final class Settled {
        private int previous = -1;

        boolean check() {
            int now = walkCalls();
            boolean settled = now == previous;
            previous = now;
            return settled;
        }
    }

    /**
     * A nested org: department 1 is the root, departments 2.. form a tree three wide; users are spread
     * over the departments, every tenth also in a second one.
     */
    private static Set<String> simulateOrg(int departments, int users) {
        return simulateOrg(departments, users, 0);
    }

    private static Set<String> simulateOrg(int departments, int users, int answerDelayMillis) {
        Map<Long, List<Long>> children = new TreeMap<>();
        Map<Long, List<String>> members = new TreeMap<>();
        children.put(1L, new ArrayList<>());
        members.put(1L, new ArrayList<>());
        for (int k = 0; k < departments; k++) {
            long id = k + 2;
            long parent = k < 3 ? 1 : (k - 3) / 3 + 2;
            children.get(parent).add(id);
            children.put(id, new ArrayList<>());
            members.put(id, new ArrayList<>());
        }
        Set<String> all = new LinkedHashSet<>();
        for (int u = 0; u < users; u++) {
            String userId = "u" + u;
            all.add(userId);
            members.get((long) (u % departments) + 2).add(userId);
            if (u % 10 == 0) {
                members.get((long) ((u + 7) % departments) + 2).add(userId);
            }
        }
        children.forEach((id, subs) -> dingTalk.stubFor(post(urlPathEqualTo(LIST_SUB))
                .withRequestBody(matchingJsonPath("$.dept_id", equalTo(Long.toString(id))))
                .willReturn(okJson("{\"errcode\":0,\"result\":["
                                + subs.stream()
                                        .map(sub -> "{\"dept_id\":" + sub + ",\"name\":\"D" + sub + "\",\"parent_id\":"
                                                + id + "}")
                                        .collect(Collectors.joining(","))
                                + "]}")
                        .withFixedDelay(answerDelayMillis))));
        members.forEach((id, userIds) -> dingTalk.stubFor(post(urlPathEqualTo(LIST_ID))
                .withRequestBody(matchingJsonPath("$.dept_id", equalTo(Long.toString(id))))
                .willReturn(okJson("{\"errcode\":0,\"result\":{\"userid_list\":["
                                + userIds.stream()
                                        .map(userId -> "\"" + userId + "\"")
                                        .collect(Collectors.joining(",")) + "]}}")
                        .withFixedDelay(answerDelayMillis))));
        return all;
    }

    private static int walkCalls() {
        return (int) dingTalk.getAllServeEvents().stream()
                .map(ServeEvent::getRequest)
                .filter(request -> request.getUrl().startsWith(LIST_SUB)
                        || request.getUrl().startsWith(LIST_ID))
                .count();
    }

    private long pacedCalls() {
        return meters.get("dingtalk.pacing.wait").timers().stream()
                .mapToLong(Timer::count)
                .sum();
    }
}
