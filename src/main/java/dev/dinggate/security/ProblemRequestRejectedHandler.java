package dev.dinggate.security;

import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.web.ProblemResponseWriter;
import dev.dinggate.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.stereotype.Component;

/**
 * Spring Security's firewall refuses URLs with encoded control characters, traversal and the like;
 * the caller gets a problem detail instead of the servlet container's error page.
 */
@Component
class ProblemRequestRejectedHandler implements RequestRejectedHandler {

    private final ProblemResponseWriter writer;

    ProblemRequestRejectedHandler(ProblemResponseWriter writer) {
        this.writer = writer;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
            throws IOException {
        writer.write(
                response,
                Problems.of(
                        GatewayProblem.REQUEST_INVALID,
                        "The request URL holds characters or sequences the gateway refuses.",
                        request));
    }
}
