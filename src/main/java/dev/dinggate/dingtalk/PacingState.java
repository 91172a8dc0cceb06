package dev.dinggate.dingtalk;

/**
 * The outbound pacing as operators see it.
 *
 * @param qps configured calls per second for the app
 * @param readyNow whether a call could go out this instant without waiting
 * @param refusedCalls calls refused since start because their turn was further away than {@code max-wait}
 */
public record PacingState(int qps, boolean readyNow, long refusedCalls) {
}
