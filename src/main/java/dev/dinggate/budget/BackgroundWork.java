package dev.dinggate.budget;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Marks the calls a thread makes as background work (a batch's items): they may use at most a share of
 * each API's quota, so that interactive callers keep the rest however long a batch runs. The pacer reads
 * the mark; the batch worker sets it around each item.
 */
public final class BackgroundWork {

    private static final ThreadLocal<@Nullable Double> SHARE = new ThreadLocal<>();

    private BackgroundWork() {}

    /** Runs {@code work} with its DingTalk calls limited to {@code share} (0 to 1) of each API's quota. */
    public static <T> T run(double share, Supplier<T> work) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("a share of the quota is more than 0 and at most 1, was " + share);
        }
        Double outer = SHARE.get();
        SHARE.set(share);
        try {
            return work.get();
        } finally {
            if (outer == null) {
                SHARE.remove();
            } else {
                SHARE.set(outer);
            }
        }
    }

    /** The share of the quota the current thread's calls may use, or null for interactive calls. */
    public static @Nullable Double share() {
        return SHARE.get();
    }
}
