package dev.dinggate.dingtalk.internal;

import java.time.Clock;
import java.time.Duration;
import org.springframework.retry.RetryContext;
import org.springframework.retry.RetryPolicy;
import org.springframework.retry.context.RetryContextSupport;

/**
 * No new attempt once {@code deadline} has passed since the first: Spring Retry's
 * {@code TimeoutRetryPolicy}, measured on the gateway's {@link Clock} instead of the system's, so
 * that tests move time by hand rather than bet on how fast a machine is.
 */
final class DeadlineRetryPolicy implements RetryPolicy {

    private static final String STARTED_AT = DeadlineRetryPolicy.class.getName() + ".startedAt";

    private final Clock clock;
    private final long deadlineMillis;

    DeadlineRetryPolicy(Clock clock, Duration deadline) {
        this.clock = clock;
        this.deadlineMillis = deadline.toMillis();
    }

    @Override
    public boolean canRetry(RetryContext context) {
        return clock.millis() - (long) context.getAttribute(STARTED_AT) <= deadlineMillis;
    }

    @Override
    public RetryContext open(RetryContext parent) {
        RetryContextSupport context = new RetryContextSupport(parent);
        context.setAttribute(STARTED_AT, clock.millis());
        return context;
    }

    @Override
    public void close(RetryContext context) {
        // nothing held
    }

    @Override
    public void registerThrowable(RetryContext context, Throwable failure) {
        ((RetryContextSupport) context).registerThrowable(failure);
    }
}
