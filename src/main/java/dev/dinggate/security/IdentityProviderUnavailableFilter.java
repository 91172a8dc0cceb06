package dev.dinggate.security;

import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.web.ProblemResponseWriter;
import dev.dinggate.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers 503 {@code auth.provider-unavailable} when the bearer token could not be judged because the
 * identity provider did not answer. Spring Security rethrows such failures, which would end as a bare 500.
 */
final class IdentityProviderUnavailableFilter extends OncePerRequestFilter {

    /** As often as readiness asks the provider again: sooner would only meet the same outage. */
    static final long RETRY_AFTER_SECONDS = IdentityProviderHealthIndicator.RECHECK.toSeconds();

    private final ProblemResponseWriter writer;

    IdentityProviderUnavailableFilter(ProblemResponseWriter writer) {
        this.writer = writer;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (IdentityProviderUnavailableException unavailable) {
            if (response.isCommitted()) {
                throw unavailable;
            }
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER_SECONDS));
            writer.write(response, Problems.of(GatewayProblem.AUTH_PROVIDER_UNAVAILABLE, request));
        }
    }
}
