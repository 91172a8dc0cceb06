package dev.dinggate.security;

import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.web.ProblemResponseWriter;
import dev.dinggate.web.Problems;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Lets Spring Security's own handlers set the status and {@code WWW-Authenticate} header, then
 * writes the gateway's problem body, so 401 and 403 look like every other error.
 */
final class ProblemSecurityHandlers {

    private final ProblemResponseWriter writer;

    ProblemSecurityHandlers(ProblemResponseWriter writer) {
        this.writer = writer;
    }

    AuthenticationEntryPoint entryPoint(AuthenticationEntryPoint delegate) {
        return (request, response, failure) -> {
            delegate.commence(request, withoutSendError(response), failure);
            writer.write(response, Problems.of(GatewayProblem.AUTH_UNAUTHENTICATED, request));
        };
    }

    AccessDeniedHandler accessDeniedHandler(AccessDeniedHandler delegate) {
        return (request, response, failure) -> {
            delegate.handle(request, withoutSendError(response), failure);
            writer.write(response, Problems.of(GatewayProblem.AUTH_FORBIDDEN, request));
        };
    }

    /** Some handlers call {@code sendError}, which would commit the response before the body is written. */
    private static HttpServletResponse withoutSendError(HttpServletResponse response) {
        return new HttpServletResponseWrapper(response) {
            @Override
            public void sendError(int status) {
                setStatus(status);
            }

            @Override
            public void sendError(int status, String message) {
                setStatus(status);
            }
        };
    }
}
