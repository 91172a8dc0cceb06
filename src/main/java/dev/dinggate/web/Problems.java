package dev.dinggate.web;

import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.problem.GatewayProblemException;
import dev.dinggate.problem.UpstreamFailures;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ProblemDetail;

/** Builds the gateway's problem details: RFC 9457 plus {@code code} and {@code requestId}. */
public final class Problems {

    private Problems() {}

    /** A problem detail and, for failures worth retrying later, how long to wait. */
    public record Answer(ProblemDetail body, @Nullable Duration retryAfter) {}

    /**
     * The answer for a failure of the gateway's own kinds ({@link GatewayProblemException},
     * {@link DingTalkException}); anything else is an internal error whose details stay in the log.
     */
    public static Answer forFailure(RuntimeException failure, HttpServletRequest request) {
        GatewayProblemException known = known(failure);
        if (known == null) {
            return new Answer(of(GatewayProblem.INTERNAL_ERROR, request), null);
        }
        ProblemDetail body = of(known.problem(), known.getMessage(), request);
        addUpstream(body, known.upstream());
        return new Answer(body, known.retryAfter());
    }

    /**
     * The same answer for a change made outside a request (a batch's item): {@code instance} names what
     * failed, {@code requestId} the id its audit row carries.
     */
    public static Answer forFailure(RuntimeException failure, URI instance, String requestId) {
        GatewayProblemException known = known(failure);
        GatewayProblem problem = known == null ? GatewayProblem.INTERNAL_ERROR : known.problem();
        ProblemDetail body =
                ProblemDetail.forStatusAndDetail(problem.status(), known == null ? problem.hint() : known.getMessage());
        body.setType(URI.create(GatewayProblem.TYPE_PREFIX + problem.code()));
        body.setTitle(problem.title());
        body.setInstance(instance);
        body.setProperty("code", problem.code());
        body.setProperty("requestId", requestId);
        if (known != null) {
            addUpstream(body, known.upstream());
        }
        return new Answer(body, known == null ? null : known.retryAfter());
    }

    private static @Nullable GatewayProblemException known(RuntimeException failure) {
        // A DingTalk failure no feature translated (none should reach here) means what UpstreamFailures says.
        return failure instanceof DingTalkException upstream
                ? UpstreamFailures.explain(upstream)
                : failure instanceof GatewayProblemException problem ? problem : null;
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
    public static Map<String, Object> asMap(ProblemDetail problem) {
        Map<String, Object> body = new LinkedHashMap<>();
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

    /** The problem with the catalogue's hint as its detail. */
    public static ProblemDetail of(GatewayProblem problem, HttpServletRequest request) {
        return of(problem, problem.hint(), request);
    }

    public static ProblemDetail of(GatewayProblem problem, String detail, HttpServletRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(problem.status(), detail);
        return decorate(body, problem, problem.title(), request);
    }

    /**
     * Adds the gateway's fields to a problem detail built elsewhere (by Spring MVC, say), which keeps its
     * status and title.
     */
    static ProblemDetail decorate(
            ProblemDetail body, GatewayProblem problem, String title, HttpServletRequest request) {
        String code = problem.code();
        body.setType(URI.create(GatewayProblem.TYPE_PREFIX + code));
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
