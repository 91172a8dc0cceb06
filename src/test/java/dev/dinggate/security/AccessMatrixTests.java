package dev.dinggate.security;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.directory.DirectoryReads;
import dev.dinggate.directory.FullSync;
import dev.dinggate.support.ApiRoutes;
import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.ProductionGatewayTest;
import dev.dinggate.support.TestJwts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** Every route against every kind of token, with real signed (and forged) JWTs. */
// The directory routes answer from the mirror: it is on here, filled by the test once DingTalk is stubbed.
@TestPropertySource(properties = {"gateway.directory.enabled=true", "gateway.directory.check-interval=1h"})
class AccessMatrixTests extends ProductionGatewayTest {

    /** A route of the API and the scope it needs. */
    record Route(String method, String path, String body, String scope) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** Every route of the API, as its handlers declare it, with a valid request for it. */
    static final List<Route> ROUTES = ApiRoutes.stream()
            .map(route -> new Route(route.method(), route.pathWith("user1001"), route.validBody(), route.scope()))
            .toList();

    /** Every scope a route needs, and the operators' scope. */
    static final Set<String> SCOPES = Stream.concat(ApiRoutes.stream().map(ApiRoutes.ApiRoute::scope), Stream.of("ops"))
            .filter(scope -> !scope.equals(RequiresScope.ANY_CALLER))
            .collect(Collectors.toCollection(TreeSet::new));

    @Autowired
    private DirectoryReads mirror;

    @Autowired
    private FullSync fullSync;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping handlers;

    /** Kinds of token that must be refused as unauthenticated. */
    static final List<Token> INVALID = List.of(
            new Token("no token", scope -> null),
            new Token(
                    "expired",
                    scope -> jwts.builder("alice", scope, "manager4220")
                            .expiredAgo(Duration.ofMinutes(5))
                            .sign()),
            new Token(
                    "not yet valid",
                    scope -> jwts.builder("alice", scope, "manager4220")
                            .notBefore(Instant.now().plus(Duration.ofMinutes(10)))
                            .sign()),
            new Token(
                    "wrong issuer",
                    scope -> jwts.builder("alice", scope, "manager4220")
                            .issuer("https://evil.test")
                            .sign()),
            new Token(
                    "wrong audience",
                    scope -> jwts.builder("alice", scope, "manager4220")
                            .audience("another-api")
                            .sign()),
            new Token(
                    "alg none",
                    scope -> jwts.builder("alice", scope, "manager4220").unsigned()),
            new Token(
                    "tampered signature",
                    scope -> jwts.builder("alice", scope, "manager4220").tampered()),
            new Token("signed by another key", scope -> new TestJwts().token("alice", scope, "manager4220")));

    record Token(String kind, Function<String, String> forScope) {
        @Override
        public String toString() {
            return kind;
        }
    }

    static Stream<Arguments> invalidTokenOnEveryRoute() {
        return ROUTES.stream().flatMap(route -> INVALID.stream().map(token -> Arguments.of(route, token)));
    }

    @ParameterizedTest(name = "{0} with {1} -> 401")
    @MethodSource("invalidTokenOnEveryRoute")
    void invalidTokensAreUnauthenticatedOnEveryRoute(Route route, Token token) {
        GatewayHttp.Answer answer = send(route, token.forScope().apply(route.scope()));

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(answer.field("code")).isEqualTo("auth.unauthenticated");
        assertThat(dingTalkCalls()).isZero();
    }

    /**
     * Routes that a scope opens. Those open to any caller (batches) decide by their input and its owner, which
     * their own suite covers (BatchApiTests: a scope an item needs, the creator, audit:read, a stranger).
     */
    static Stream<Route> routes() {
        return ROUTES.stream().filter(route -> !route.scope().equals(RequiresScope.ANY_CALLER));
    }

    @ParameterizedTest(name = "{0} with another scope -> 403")
    @MethodSource("routes")
    void everyOtherScopeIsForbidden(Route route) {
        String otherScopes = SCOPES.stream()
                .filter(scope -> !scope.equals(route.scope())
                        && !(route.scope().equals("users:read") && scope.equals("users:write")))
                .reduce((a, b) -> a + " " + b)
                .orElseThrow();

        GatewayHttp.Answer answer = send(route, jwts.token("alice", otherScopes, "manager4220"));

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.header("WWW-Authenticate")).contains("insufficient_scope");
        assertThat(dingTalkCalls()).isZero();
    }

    @ParameterizedTest(name = "{0} with its scope is let through")
    @MethodSource("routes")
    void theRightScopeIsLetThrough(Route route) {
        dingTalkAnswersEverythingKindly();
        if (!mirror.complete()) {
            fullSync.syncNow();
        }

        GatewayHttp.Answer answer = send(route, jwts.token("alice", route.scope(), "manager4220"));

        // DingTalk agrees to everything, so only the operation's own success is the right answer.
        assertThat(answer.status()).as(answer.response().body()).isBetween(200, 299);
    }

    private static void dingTalkAnswersEverythingKindly() {
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
    }

    @Test
    void theDiscoveredRoutesAreTheOnesTheApplicationServes() {
        Set<String> served = new TreeSet<>();
        handlers.getHandlerMethods()
                .forEach((info, handler) -> info.getPathPatternsCondition().getPatternValues().stream()
                        .filter(path -> path.startsWith("/api/"))
                        .forEach(path -> info.getMethodsCondition()
                                .getMethods()
                                .forEach(method -> served.add(method + " " + path))));

        assertThat(ApiRoutes.stream().map(ApiRoutes.ApiRoute::toString)).containsExactlyInAnyOrderElementsOf(served);
    }

    @Test
    void anAuthenticatedCallerOfARouteThatDoesNotExistIsToldSo() {
        String anyScope = jwts.token("alice", "users:read", "u");

        GatewayHttp.Answer unknownPath = http.send("GET", "/api/v1/nope", anyScope, null, null);
        GatewayHttp.Answer wrongMethod = http.send("DELETE", "/api/v1/org-accounts/visibility", anyScope, null, null);
        GatewayHttp.Answer postToAReadOnlyPath =
                http.send("POST", "/api/v1/audit-events", anyScope, "application/json", "{}");

        assertThat(unknownPath.status()).isEqualTo(404);
        assertThat(unknownPath.field("code")).isEqualTo("request.not-found");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.field("code")).isEqualTo("request.method-not-allowed");
        assertThat(wrongMethod.header("Allow")).isEqualTo("PUT");
        assertThat(postToAReadOnlyPath.status()).isEqualTo(405);
        assertThat(postToAReadOnlyPath.header("Allow")).isEqualTo("GET");
        assertThat(dingTalkCalls()).isZero();
    }

    @Test
    void aRouteThatDoesNotExistIsStillUnauthenticatedWithoutCredentials() {
        GatewayHttp.Answer answer = http.send("GET", "/api/v1/nope", null, null, null);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.field("code")).isEqualTo("auth.unauthenticated");
    }

    @Test
    void crossOriginCallsAreRefusedWhenNoOriginIsConfigured() {
        GatewayHttp.Answer preflight = http.preflight("/api/v1/users/user1001", "https://hr.example.internal", "GET");
        GatewayHttp.Answer call = http.sendWithOrigin(
                "GET",
                "/api/v1/users/user1001",
                jwts.token("alice", "users:read", null),
                "https://hr.example.internal");

        // Without Access-Control-Allow-Origin a browser refuses the call, whatever the status.
        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
        assertThat(call.header("Access-Control-Allow-Origin")).isNull();
    }

    private GatewayHttp.Answer send(Route route, String token) {
        return http.send(
                route.method(), route.path(), token, route.body() == null ? null : "application/json", route.body());
    }
}
