package dev.dinggate.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.directory.DirectoryReads;
import dev.dinggate.directory.FullSync;
import dev.dinggate.problem.RequestIds;
import dev.dinggate.security.RequiresScope;
import dev.dinggate.support.ApiRoutes;
import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.ProductionGatewayTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.ClientRequest;

/**
 * Generated hostile requests, 10,000 per endpoint from a fixed seed (so a failure replays): wrong
 * types, huge strings, deep JSON, control characters, look-alike letters, path traversal, duplicate
 * keys, truncated and non-JSON bodies. Whatever arrives, the gateway never answers 5xx, every error
 * is problem+json, and nothing it refuses locally reaches DingTalk. (jqwik, named by the issue, asks
 * AI agents not to use it from 1.10 on, and 1.9 targets JUnit Platform 1; this seeded generator
 * takes its place.)
 */
class HostileInputTests extends ProductionGatewayTest {

    private static final int REQUESTS_PER_ENDPOINT = 10_000;
    private static final long SEED = 20261121L;
    /**
     * Requests in flight at once: the gateway serves them on both cores (one at a time left one idle while the
     * client read each answer). Each request is generated from its own index, so the run replays whatever the
     * interleaving.
     */
    private static final int CLIENTS = 4;
    /** The header in which each DingTalk call names the gateway request it serves (added by this test only). */
    private static final String SERVES = "X-Test-Serves-Request";
    /** DingTalk calls by the id of the gateway request they served ("none": no request, e.g. the mirror's sync). */
    private static final Map<String, AtomicInteger> callsByRequest = new ConcurrentHashMap<>();

    static {
        dingTalk.addMockServiceRequestListener((request, response) -> {
            if (!request.getUrl().startsWith("/idp/") && !request.getUrl().startsWith("/v1.0/oauth2/")) {
                String serves = request.containsHeader(SERVES) ? request.getHeader(SERVES) : "untagged";
                callsByRequest
                        .computeIfAbsent(serves, id -> new AtomicInteger())
                        .incrementAndGet();
            }
        });
    }

    /** Every DingTalk call carries the id of the gateway request it serves, so that concurrent requests tell apart. */
    @TestConfiguration
    static class DingTalkCallsNameTheirRequest {
        @Bean
        WebClientCustomizer nameTheRequestServed() {
            return builder -> builder.filter((request, next) -> next.exchange(ClientRequest.from(request)
                    .header(SERVES, RequestIds.current())
                    .build()));
        }
    }

    @DynamicPropertySource
    static void noPacing(DynamicPropertyRegistry registry) {
        // Requests that pass validation reach DingTalk; pacing them at 20 a second is not what is tested here.
        registry.add("dingtalk.rate-limit.qps", () -> 100_000);
        // Nor is the per-client budget: 100,000 requests would each cost its turn at the database.
        registry.add("gateway.inbound.rate-limit.enabled", () -> false);
        // The directory routes need the mirror; the test fills it once DingTalk is stubbed.
        registry.add("gateway.directory.enabled", () -> true);
        registry.add("gateway.directory.check-interval", () -> "1h");
    }

    @Autowired
    private DirectoryReads mirror;

    @Autowired
    private FullSync fullSync;

    /** An endpoint, the scope it needs, and how to make a plausible body or path segment for it. */
    record Endpoint(String method, String pathTemplate, String scope, List<String> fields, String validBody) {
        @Override
        public String toString() {
            return method + " " + pathTemplate;
        }
    }

    /** Every operation of the API, as its handler declares it: variables of its path and query set to {id}. */
    static Stream<Endpoint> endpoints() {
        return ApiRoutes.stream()
                // Not the batch routes: a valid batch starts background work whose DingTalk calls could not be
                // told from a refused request's, and reading or cancelling one serves nothing without a batch
                // of the caller's. Their items are the single calls' bodies, fuzzed through those routes;
                // BatchApiTests holds the batch routes to their answers.
                .filter(route -> !route.scope().equals(RequiresScope.ANY_CALLER))
                .map(route -> new Endpoint(
                        route.method(),
                        route.pathWith("{id}")
                                + route.queryParameters().stream()
                                        .map(name -> name + "={id}")
                                        .collect(Collectors.joining(
                                                "&", route.queryParameters().isEmpty() ? "" : "?", "")),
                        route.scope(),
                        route.bodyFields(),
                        route.validBody()));
    }

    @BeforeEach
    void dingTalkAnswersEverythingKindly() {
        dingTalk.stubFor(any(urlPathMatching("/v1\\.0/contact/.*")).willReturn(okJson("{\"result\":true}")));
        dingTalk.stubFor(any(urlPathMatching("/topapi/.*"))
                .willReturn(okJson(
                        "{\"errcode\":0,\"result\":{\"userid\":\"u1\",\"name\":\"X\",\"userid_list\":[\"u1\"]}}")));
        dingTalk.stubFor(any(urlPathEqualTo("/topapi/v2/department/listsub"))
                .willReturn(okJson("{\"errcode\":0,\"result\":[]}")));
        dingTalk.stubFor(any(urlPathEqualTo("/topapi/v2/department/get"))
                .willReturn(okJson("{\"errcode\":0,\"result\":{\"dept_id\":1,\"name\":\"Org\"}}")));
        dingTalk.stubFor(any(urlPathEqualTo("/topapi/v2/user/list"))
                .willReturn(okJson("{\"errcode\":0,\"result\":{\"has_more\":false,\"list\":[{\"userid\":\"u1\","
                        + "\"name\":\"X\",\"dept_id_list\":[1]}]}}")));
        // The directory routes answer from the mirror: filled once, before the first request of the class.
        if (!mirror.complete()) {
            fullSync.syncNow();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void hostileRequestsNeverBreakTheGatewayNorReachDingTalkWhenRefused(Endpoint endpoint) throws Exception {
        String token = jwts.token("fuzzer", endpoint.scope(), "manager4220");
        AtomicInteger accepted = new AtomicInteger();
        int anonymousBefore = anonymousCalls();
        try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
            List<Future<?>> work = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                int first = client;
                work.add(clients.submit(() -> {
                    for (int i = first; i < REQUESTS_PER_ENDPOINT; i += CLIENTS) {
                        accepted.addAndGet(hostileRequest(endpoint, token, i) ? 1 : 0);
                    }
                }));
            }
            for (Future<?> client : work) {
                try {
                    client.get();
                } catch (ExecutionException failed) {
                    work.forEach(other -> other.cancel(true));
                    if (failed.getCause() instanceof Error error) {
                        throw error; // the assertion that failed, with its replay line
                    }
                    throw failed;
                }
            }
        }
        // Every DingTalk call meanwhile named the request it served, or the checks above could not see a leak.
        assertThat(anonymousCalls()).as("DingTalk calls naming no request").isEqualTo(anonymousBefore);
        // Not only refusals: some of the generated requests are valid and are served.
        assertThat(accepted).as("requests served").hasPositiveValue();
    }

    /** Sends the {@code index}th hostile request of the endpoint and checks its answer; true when it was served. */
    private boolean hostileRequest(Endpoint endpoint, String token, int index) {
        Random random = new Random(SEED ^ endpoint.toString().hashCode() ^ (index * 0x9E3779B97F4A7C15L));
        Hostile hostile = new Hostile(random);
        // Query parameters are optional: half the requests leave them out, so that a route whose every
        // parameter holds a hostile value still serves some requests.
        String template = random.nextBoolean()
                ? endpoint.pathTemplate()
                : endpoint.pathTemplate().replaceFirst("\\?.*$", "");
        String path = template.replace("{id}", hostile.pathSegment());
        String body = endpoint.validBody() == null && random.nextInt(4) > 0 ? null : hostile.body(endpoint);
        String contentType = body == null ? null : hostile.contentType();
        String requestId = idPrefix(endpoint) + index;

        GatewayHttp.Answer answer = http.send(endpoint.method(), path, token, contentType, body, requestId);

        String replay = "request " + index + " (seed " + SEED + "): " + endpoint.method() + " " + path + " "
                + contentType + " " + abbreviate(body) + " -> " + answer.status() + " "
                + abbreviate(answer.response().body());
        assertThat(answer.status()).as(replay).isLessThan(500);
        // The token is valid and has the endpoint's scope: every request must get past security, or
        // nothing below it was exercised.
        assertThat(answer.status()).as(replay).isNotIn(401, 403);
        // The id the gateway served the request under: the offered one, unless the request was refused before
        // the gateway's own filters (Tomcat's and the firewall's refusals give it a new one).
        String servedAs = Objects.requireNonNullElse(answer.header("X-Request-Id"), requestId);
        if (answer.status() >= 400) {
            assertThat(answer.contentType()).as(replay).startsWith("application/problem+json");
            if (answer.field("upstreamCode") == null) {
                assertThat(calls(servedAs))
                        .as("refused locally, yet DingTalk was called: " + replay)
                        .isZero();
            }
        }
        return answer.status() < 300;
    }

    @AfterAll
    static void theRequestsThatReachedDingTalkWereToldApart() {
        assertThat(callsByRequest.keySet())
                .as("served requests' DingTalk calls, by the request they named")
                .anyMatch(id -> id.startsWith("hostile-"));
    }

    private static int anonymousCalls() {
        return calls("untagged") + calls("none");
    }

    private static int calls(String requestId) {
        AtomicInteger calls = callsByRequest.get(requestId);
        return calls == null ? 0 : calls.get();
    }

    /** Request ids of an endpoint: a plain token the gateway keeps (letters, digits, dashes). */
    private static String idPrefix(Endpoint endpoint) {
        return "hostile-" + Integer.toHexString(endpoint.toString().hashCode()) + "-";
    }

    private static String abbreviate(String text) {
        return text == null
                ? "null"
                : text.length() <= 200 ? text : text.substring(0, 200) + "…(" + text.length() + ")";
    }

    /** Makes hostile values; every choice comes from the seeded random, so a run replays exactly. */
    private static final class Hostile {
        private static final List<String> NASTY = List.of(
                "",
                " ",
                "null",
                "../../etc/passwd",
                "..%2f..%2f",
                "%00",
                "\u0000",
                "\u202e",
                "lіsi2026" /* Cyrillic i */,
                "ｌｉｓｉ２０２６",
                "🙂🙂🙂",
                "<script>alert(1)</script>",
                "' OR '1'='1",
                "${jndi:ldap://x}",
                "\r\nX-Injected: 1",
                "-7",
                "0",
                "-1",
                "9223372036854775808",
                "1e309",
                "true",
                "[]",
                "{}",
                "\"",
                "\\",
                "ding1",
                "user1001",
                "lisi2026",
                "+86-13800001001",
                "mobile");
        private final Random random;

        Hostile(Random random) {
            this.random = random;
        }

        String pathSegment() {
            String raw = switch (random.nextInt(5)) {
                case 0 -> pick(NASTY);
                case 1 -> randomString(1 + random.nextInt(80));
                case 2 -> "a".repeat(1 + random.nextInt(5_000));
                default -> "user" + random.nextInt(10_000);
            };
            return URLEncoder.encode(raw, StandardCharsets.UTF_8);
        }

        String contentType() {
            return switch (random.nextInt(10)) {
                case 0 -> "text/plain";
                case 1 -> "application/xml";
                case 2 -> "application/json; charset=ISO-8859-1";
                default -> "application/json";
            };
        }

        String body(Endpoint endpoint) {
            return switch (random.nextInt(9)) {
                case 0 -> randomString(random.nextInt(300));
                case 1 -> truncate(endpoint.validBody() == null ? "{\"x\":1}" : endpoint.validBody());
                case 2 -> "[".repeat(1 + random.nextInt(3_000)) + "]".repeat(random.nextInt(3_000));
                case 3 -> "{\"" + pickField(endpoint) + "\":\"" + "x".repeat(random.nextInt(40_000)) + "\"}";
                case 4 -> duplicateKeys(endpoint);
                // now and then the well-formed body, so that every endpoint also serves some requests
                case 5 -> endpoint.validBody() != null ? endpoint.validBody() : object(endpoint, 0);
                default -> object(endpoint, 0);
            };
        }

        private String object(Endpoint endpoint, int depth) {
            StringBuilder json = new StringBuilder("{");
            int fields = random.nextInt(4);
            for (int f = 0; f < fields; f++) {
                json.append(f == 0 ? "" : ",")
                        .append(quote(random.nextInt(6) == 0 ? pick(NASTY) : pickField(endpoint)))
                        .append(':')
                        .append(value(endpoint, depth));
            }
            return json.append('}').toString();
        }

        private String value(Endpoint endpoint, int depth) {
            return switch (random.nextInt(depth > 3 ? 6 : 8)) {
                case 0 -> Integer.toString(random.nextInt());
                case 1 -> random.nextBoolean() ? "true" : "false";
                case 2 -> "null";
                case 3 -> quote(pick(NASTY));
                case 4 -> quote(randomString(random.nextInt(70)));
                case 5 -> Double.toString(random.nextDouble() * 1e12);
                case 6 -> "[" + value(endpoint, depth + 1) + "," + value(endpoint, depth + 1) + "]";
                default -> object(endpoint, depth + 1);
            };
        }

        private String duplicateKeys(Endpoint endpoint) {
            String field = pickField(endpoint);
            return "{" + quote(field) + ":" + quote(pick(NASTY)) + "," + quote(field) + ":" + quote(pick(NASTY)) + "}";
        }

        private String pickField(Endpoint endpoint) {
            return endpoint.fields().isEmpty() ? "x" : pick(endpoint.fields());
        }

        private String truncate(String valid) {
            return valid.substring(0, random.nextInt(valid.length()));
        }

        private String randomString(int length) {
            StringBuilder text = new StringBuilder();
            for (int c = 0; c < length; c++) {
                text.appendCodePoint(
                        switch (random.nextInt(4)) {
                            case 0 -> random.nextInt(32); // control characters
                            case 1 -> 0x0400 + random.nextInt(0x100); // Cyrillic look-alikes
                            case 2 -> 0x1F600 + random.nextInt(80); // outside the BMP
                            default -> 32 + random.nextInt(95); // printable ASCII
                        });
            }
            return text.toString();
        }

        private <T> T pick(List<T> options) {
            return options.get(random.nextInt(options.size()));
        }

        private static String quote(String text) {
            StringBuilder json = new StringBuilder("\"");
            text.codePoints().forEach(c -> {
                if (c == '"' || c == '\\') {
                    json.append('\\').appendCodePoint(c);
                } else if (c < 0x20) {
                    json.append(String.format("\\u%04x", c));
                } else {
                    json.appendCodePoint(c);
                }
            });
            return json.append('"').toString();
        }
    }
}
