package dev.dinggate.security;

import dev.dinggate.budget.Budgets;
import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.web.ProblemResponseWriter;
import dev.dinggate.web.Problems;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A request budget per client (the JWT's client id, else the principal), shared by every replica
 * through {@link Budgets}, so that one noisy HR job cannot spend the whole DingTalk quota of the app.
 * Over it: 429 with {@code Retry-After}. The budget is a guard for fairness, not the pacing: the
 * defaults let a client queue as much as DingTalk's quota can serve in time (README, "Limits"). Requests answered
 * without DingTalk quota ({@link QuotaFree}) only meet a guard against abuse, kept per replica.
 */
final class ClientRateLimitFilter extends OncePerRequestFilter {

    private final Budgets budgets;
    private final Budgets.Limits limits;
    private final Budgets abuseGuard;
    private final Budgets.Limits abuseLimits;
    private final DeclaredHandlers handlers;
    private final QuotaFreeAnswers quotaFreeAnswers;
    private final CallerArgumentResolver callers;
    private final ProblemResponseWriter problems;

    ClientRateLimitFilter(
            InboundProperties inbound,
            Budgets budgets,
            DeclaredHandlers handlers,
            QuotaFreeAnswers quotaFreeAnswers,
            Clock clock,
            CallerArgumentResolver callers,
            ProblemResponseWriter problems) {
        this.budgets = budgets;
        this.handlers = handlers;
        this.quotaFreeAnswers = quotaFreeAnswers;
        this.callers = callers;
        this.problems = problems;
        this.limits = Budgets.Limits.tokens(
                inbound.rateLimit().burst(), inbound.rateLimit().requestsPerSecond());
        // Reads that spend no quota are guarded in this replica's memory: sharing that guard through the database
        // would cost a round trip on every read the mirror exists to make cheap.
        this.abuseGuard = Budgets.inMemory(clock);
        this.abuseLimits = Budgets.Limits.tokens(
                inbound.quotaFreeRateLimit().burst(),
                inbound.quotaFreeRateLimit().requestsPerSecond());
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
        DeclaredHandlers.Declared declared = handlers.of(request);
        boolean quotaFree = declared != null && declared.spendsNoQuota(request) && quotaFreeAnswers.available();
        Budgets store = quotaFree ? abuseGuard : budgets;
        Budgets.Limits applied = quotaFree ? abuseLimits : limits;
        ConsumptionProbe probe;
        try {
            probe = store.use(Budgets.Kind.CLIENT, client, applied, bucket -> bucket.tryConsumeAndReturnRemaining(1));
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
            throw new ServletException("interrupted while taking a turn from the client's budget", stopped);
        }
        if (probe.isConsumed()) {
            chain.doFilter(request, response);
            return;
        }
        // Rounded up: a client told to wait less than the refill takes would be refused again.
        long waitSeconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(waitSeconds));
        problems.write(
                response,
                Problems.of(
                        GatewayProblem.REQUEST_RATE_LIMITED,
                        "This client sent more requests than its budget allows; retry after " + waitSeconds + " s.",
                        request));
    }
}
