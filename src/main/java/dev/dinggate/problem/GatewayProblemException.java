package dev.dinggate.problem;

import dev.dinggate.dingtalk.DingTalkException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Ends a request with a {@link GatewayProblem}; features throw it for errors they understand. */
public class GatewayProblemException extends RuntimeException {

    private final GatewayProblem problem;
    private final @Nullable DingTalkException upstream;
    private final @Nullable Duration retryAfter;

    public GatewayProblemException(GatewayProblem problem, String detail) {
        this(problem, detail, null);
    }

    /** A problem that DingTalk's answer explains; its code and request id are passed on to the caller. */
    public GatewayProblemException(GatewayProblem problem, String detail, @Nullable DingTalkException upstream) {
        this(problem, detail, upstream, null);
    }

    /** A problem worth trying again later: the answer carries {@code Retry-After}. */
    public GatewayProblemException(
            GatewayProblem problem,
            String detail,
            @Nullable DingTalkException upstream,
            @Nullable Duration retryAfter) {
        super(detail, upstream);
        this.problem = problem;
        this.upstream = upstream;
        this.retryAfter = retryAfter;
    }

    /** A problem whose detail is the catalogue's hint. */
    public GatewayProblemException(GatewayProblem problem) {
        this(problem, problem.hint());
    }

    public GatewayProblem problem() {
        return problem;
    }

    public @Nullable DingTalkException upstream() {
        return upstream;
    }

    public @Nullable Duration retryAfter() {
        return retryAfter;
    }

    /** What a change that ended so did at DingTalk, as the audit trail records it. */
    public GatewayProblem.Outcome outcome() {
        return problem.outcome();
    }
}
