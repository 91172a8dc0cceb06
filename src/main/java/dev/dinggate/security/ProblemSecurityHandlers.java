package dev.dinggate.security;

import dev.dinggate.web.ProblemResponseWriter;
import dev.dinggate.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import org.springframework.http.HttpStatus;
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
            write(
                    request,
                    response,
                    HttpStatus.UNAUTHORIZED,
                    "auth.unauthenticated",
                    "Authentication required",
                    "The request carries no valid credentials.");
        };
    }

    AccessDeniedHandler accessDeniedHandler(AccessDeniedHandler delegate) {
        return (request, response, failure) -> {
            delegate.handle(request, withoutSendError(response), failure);
            write(
                    request,
                    response,
                    HttpStatus.FORBIDDEN,
                    "auth.forbidden",
                    "Operation not allowed",
                    "The caller's scopes do not allow this operation.");
        };
    }

    private void write(
            HttpServletRequest request,
            HttpServletResponse response,
            HttpStatus status,
            String code,
            String title,
            String detail)
            throws IOException {
        writer.write(response, Problems.of(status, code, title, detail, request));
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
