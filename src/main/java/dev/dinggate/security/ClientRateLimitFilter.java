package dev.dinggate.security;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import dev.dinggate.web.ProblemResponseWriter;
import dev.dinggate.web.Problems;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * A request budget per client (the JWT's client id, else the principal), so that one noisy HR job
 * cannot spend the whole DingTalk quota of the app. Over budget: 429 with {@code Retry-After}.
 */
final class ClientRateLimitFilter extends OncePerRequestFilter {

    private final LoadingCache<String, Bucket> buckets;
    private final CallerArgumentResolver callers;
    private final ProblemResponseWriter problems;

    ClientRateLimitFilter(InboundProperties.RateLimit limit, CallerArgumentResolver callers,
            ProblemResponseWriter problems) {
        this.callers = callers;
        this.problems = problems;
        // Buckets of clients that went quiet are dropped; a returning client starts with a full one.
        this.buckets = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).maximumSize(100_000)
                .build(client -> Bucket.builder().addLimit(bandwidth -> bandwidth.capacity(limit.burst())
                        .refillGreedy(limit.requestsPerSecond(), limit.refillPeriod())).build());
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()) {
            chain.doFilter(request, response);
            return;
        }
        Caller caller = callers.from(authentication);
        String client = caller.clientId() != null ? "client:" + caller.clientId() : "principal:" + caller.principal();
        ConsumptionProbe probe = buckets.get(client).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            chain.doFilter(request, response);
            return;
        }
        // Rounded up: a client told to wait less than the refill takes would be refused again.
        long waitSeconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(waitSeconds));
        problems.write(response, Problems.of(HttpStatus.TOO_MANY_REQUESTS, "request.rate-limited",
                "Too many requests", "This client sent more requests than its budget allows; retry after "
                        + waitSeconds + " s.", request));
    }
}
