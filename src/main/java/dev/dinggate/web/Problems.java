package dev.dinggate.web;

import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.problem.GatewayProblemException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Builds the gateway's problem details: RFC 9457 plus {@code code} and {@code requestId}. */
public final class Problems {

    /** Prefix of every problem {@code type}; the part after it is the {@code code}. */
    public static final String TYPE_PREFIX = "urn:dinggate:problem:";

    private Problems() {}

    /** A problem detail and, for failures worth retrying later, how long to wait. */
    public record Answer(ProblemDetail body, @Nullable Duration retryAfter) {}

    /**
     * The answer for a failure of the gateway's own kinds ({@link GatewayProblemException},
     * {@link DingTalkException}); anything else is an internal error whose details stay in the log.
     */
    public static Answer forFailure(RuntimeException failure, HttpServletRequest request) {
        return forFailure(failure, (status, code, title, detail) -> of(status, code, title, detail, request));
    }

    /**
     * The same answer for a change made outside a request (a batch's item): {@code instance} names what
     * failed, {@code requestId} the id its audit row carries.
     */
    public static Answer forFailure(RuntimeException failure, URI instance, String requestId) {
        return forFailure(failure, (status, code, title, detail) -> {
            ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
            body.setType(URI.create(TYPE_PREFIX + code));
            body.setTitle(title);
            body.setInstance(instance);
            body.setProperty("code", code);
            body.setProperty("requestId", requestId);
            return body;
        });
    }

    private interface Builder {
        ProblemDetail build(HttpStatusCode status, String code, String title, String detail);
    }

    private static Answer forFailure(RuntimeException failure, Builder builder) {
        if (failure instanceof GatewayProblemException problem) {
            GatewayProblem known = problem.problem();
            ProblemDetail body = builder.build(known.status(), known.code(), known.title(), problem.getMessage());
            addUpstream(body, problem.upstream());
            return new Answer(body, problem.retryAfter());
        }
        if (failure instanceof DingTalkException upstream) {
            UpstreamProblems.Answer answer = UpstreamProblems.of(upstream);
            GatewayProblem known = answer.problem();
            ProblemDetail body = builder.build(known.status(), known.code(), known.title(), answer.detail());
            addUpstream(body, upstream);
            return new Answer(body, answer.retryAfter());
        }
        return new Answer(
                builder.build(
                        HttpStatus.INTERNAL_SERVER_ERROR,
                        "internal.error",
                        "Internal error",
                        "The gateway failed unexpectedly; quote the requestId to operators."),
                null);
    }

    private static void addUpstream(ProblemDetail body, @Nullable DingTalkException upstream) {
        if (upstream == null) {
            return;
        }
        if (upstream.upstreamCode() != null) {
            body.setProperty("upstreamCode", upstream.upstreamCode());
        }
        if (upstream.upstreamRequestId() != null) {
            body.setProperty("upstreamRequestId", upstream.upstreamRequestId());
        }
    }

    /** The problem's JSON members, for writing it inside another document (a stream's last line, say). */
    public static java.util.Map<String, Object> asMap(ProblemDetail problem) {
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        if (problem.getInstance() != null) {
            body.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        return body;
    }

    public static ProblemDetail of(GatewayProblem problem, String detail, HttpServletRequest request) {
        return of(problem.status(), problem.code(), problem.title(), detail, request);
    }

    public static ProblemDetail of(
            HttpStatusCode status, String code, String title, String detail, HttpServletRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        return decorate(body, code, title, request);
    }

    /** Adds the gateway's fields to a problem detail built elsewhere (by Spring MVC, say). */
    static ProblemDetail decorate(ProblemDetail body, String code, String title, HttpServletRequest request) {
        body.setType(URI.create(TYPE_PREFIX + code));
        body.setTitle(title);
        try {
            body.setInstance(URI.create(request.getRequestURI()));
        } catch (IllegalArgumentException notAUri) {
            // A hostile path need not be a valid URI: the problem is told without an instance then.
        }
        body.setProperty("code", code);
        body.setProperty("requestId", RequestIdFilter.of(request));
        return body;
    }
}
