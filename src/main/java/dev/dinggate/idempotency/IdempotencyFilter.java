package dev.dinggate.idempotency;

import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.web.ProblemResponseWriter;
import dev.dinggate.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Honours {@code Idempotency-Key} on changes: the first request with a key is processed and its answer
 * stored; a retry gets that answer again with {@code Idempotency-Replayed: true}, and never reaches the
 * controller, so DingTalk is not called and nothing is audited twice. Runs after Spring Security, whose
 * caller owns the key. Changes answer synchronously, which is what lets the answer be captured here.
 */
final class IdempotencyFilter extends OncePerRequestFilter {

    static final String REPLAYED = "Idempotency-Replayed";

    private static final Logger log = LoggerFactory.getLogger(IdempotencyFilter.class);
    private static final Set<String> CHANGES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final IdempotencyStore store;
    private final IdempotencyProperties properties;
    private final ProblemResponseWriter problems;
    private final FinalAnswers finalAnswers;
    private final Clock clock;

    IdempotencyFilter(
            IdempotencyStore store,
            IdempotencyProperties properties,
            ProblemResponseWriter problems,
            JsonMapper json,
            Clock clock) {
        this.store = store;
        this.properties = properties;
        this.problems = problems;
        this.finalAnswers = new FinalAnswers(json);
        this.clock = clock;
    }

    /** Whether a request to {@code path} with {@code method} is a change that honours the key. */
    static boolean covers(String method, String path) {
        return CHANGES.contains(method) && path.startsWith("/api/v1/");
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getHeader(IdempotencyKey.HEADER) == null
                || !covers(request.getMethod(), request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        List<String> fields = Collections.list(request.getHeaders(IdempotencyKey.HEADER));
        IdempotencyKey key = fields.size() == 1 ? IdempotencyKey.parse(fields.getFirst()) : null;
        if (key == null) {
            refuse(
                    response,
                    request,
                    GatewayProblem.IDEMPOTENCY_KEY_INVALID,
                    "Idempotency-Key must be sent once, as 1 to " + IdempotencyKey.MAX_LENGTH
                            + " visible ASCII characters, bare or in double quotes.");
            return;
        }
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        BufferedBody body = BufferedBody.read(request);
        if (caller == null || !body.isComplete()) {
            // No caller: Spring Security lets none through to changes. An unreadable body fails in the
            // handler exactly as it would without a key; nothing can be sent, so nothing is claimed.
            chain.doFilter(body, response);
            return;
        }
        String id = Fingerprints.keyId(caller, key);
        String target = request.getQueryString() == null
                ? request.getRequestURI()
                : request.getRequestURI() + "?" + request.getQueryString();
        Instant now = clock.instant();
        IdempotencyStore.Claim claim;
        try {
            claim = store.claim(
                    id,
                    Fingerprints.request(request.getMethod(), target, body.bytes()),
                    now,
                    now.plus(properties.inFlightExpiry()));
        } catch (DataAccessException unavailable) {
            log.error("Idempotency keys unavailable, change refused: {}", unavailable.getMessage());
            refuse(
                    response,
                    request,
                    GatewayProblem.AUDIT_UNAVAILABLE,
                    "The change was not sent to DingTalk "
                            + "because its Idempotency-Key could not be recorded first; try again shortly with the same key.");
            return;
        }
        switch (claim) {
            case IdempotencyStore.Claim.Granted granted -> process(body, response, chain, id, granted);
            case IdempotencyStore.Claim.Answered answered -> replay(response, answered.answer());
            case IdempotencyStore.Claim.InFlight inFlight -> {
                // The first request usually answers within seconds: its answer is what the retry will get.
                response.setHeader(HttpHeaders.RETRY_AFTER, "1");
                refuse(
                        response,
                        request,
                        GatewayProblem.IDEMPOTENCY_IN_FLIGHT,
                        "A request with this Idempotency-Key is "
                                + "still being processed; retry shortly with the same key to get its answer.");
            }
            case IdempotencyStore.Claim.OtherRequest other ->
                refuse(
                        response,
                        request,
                        GatewayProblem.IDEMPOTENCY_KEY_REUSED,
                        "This Idempotency-Key was used for a request with another method, path or body; send a new "
                                + "request with a new key.");
        }
    }

    /**
     * Runs the request and keeps its answer before the caller sees it, so that a retry sent the moment the
     * answer arrives is already a replay. A request that ends in an exception instead of an answer keeps
     * its key claimed until {@code gateway.idempotency.in-flight-expiry}, like one whose replica died.
     */
    private void process(
            BufferedBody request,
            HttpServletResponse response,
            FilterChain chain,
            String id,
            IdempotencyStore.Claim.Granted claim)
            throws ServletException, IOException {
        ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
        chain.doFilter(request, captured);
        StoredAnswer answer = new StoredAnswer(
                captured.getStatus(),
                captured.getContentType(),
                captured.getHeader(HttpHeaders.LOCATION),
                captured.getContentAsByteArray());
        try {
            if (finalAnswers.isFinal(answer)) {
                store.complete(id, claim.attempt(), answer, clock.instant().plus(properties.retention()));
            } else {
                store.release(id, claim.attempt());
            }
        } catch (DataAccessException unavailable) {
            // The change is done and its caller gets the answer; a retry meets the claim until it expires.
            log.error("Answer to an Idempotency-Key could not be stored: {}", unavailable.getMessage());
        }
        captured.copyBodyToResponse();
    }

    private static void replay(HttpServletResponse response, StoredAnswer answer) throws IOException {
        response.setStatus(answer.status());
        if (answer.contentType() != null) {
            response.setContentType(answer.contentType());
        }
        if (answer.location() != null) {
            response.setHeader(HttpHeaders.LOCATION, answer.location());
        }
        response.setHeader(REPLAYED, "true");
        response.setContentLength(answer.body().length);
        response.getOutputStream().write(answer.body());
    }

    private void refuse(HttpServletResponse response, HttpServletRequest request, GatewayProblem problem, String detail)
            throws IOException {
        problems.write(response, Problems.of(problem, detail, request));
    }
}
