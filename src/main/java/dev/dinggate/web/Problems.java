package dev.dinggate.web;

import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Builds the gateway's problem details: RFC 9457 plus {@code code} and {@code requestId}. */
public final class Problems {

    /** Prefix of every problem {@code type}; the part after it is the {@code code}. */
    public static final String TYPE_PREFIX = "urn:dinggate:problem:";

    private Problems() {
    }

    public static ProblemDetail of(GatewayProblem problem, String detail, HttpServletRequest request) {
        return of(problem.status(), problem.code(), problem.title(), detail, request);
    }

    public static ProblemDetail of(HttpStatusCode status, String code, String title, String detail,
            HttpServletRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        return decorate(body, code, title, request);
    }

    /** Adds the gateway's fields to a problem detail built elsewhere (by Spring MVC, say). */
    static ProblemDetail decorate(ProblemDetail body, String code, String title, HttpServletRequest request) {
        body.setType(URI.create(TYPE_PREFIX + code));
        body.setTitle(title);
        body.setInstance(URI.create(request.getRequestURI()));
        body.setProperty("code", code);
        body.setProperty("requestId", RequestIdFilter.of(request));
        return body;
    }
}
