package dev.dinggate.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** When the read cache answers from memory, and when it must go to the database. */
class MirrorReadCacheTests {

    private final MirrorReadCache cache = new MirrorReadCache(Duration.ofMinutes(10));
    private final AtomicInteger loads = new AtomicInteger();
    private String name = "Zhang San";
    private final Function<String, Optional<UserDetails>> database = userId -> {
        loads.incrementAndGet();
        return Optional.of(user(userId, name));
    };

    @Test
    void untilItListensEveryReadGoesToTheDatabase() {
        cache.user("u1", database);
        cache.user("u1", database);

        assertThat(loads).hasValue(2);
    }

    @Test
    void whileItListensAUserIsReadOnceUntilAWriteNamesThem() {
        cache.live(true);
        cache.user("u1", database);
        cache.user("u1", database);
        assertThat(loads).hasValue(1);

        name = "Li Si";
        cache.evict(List.of("u1"));

        assertThat(cache.user("u1", database))
                .get()
                .extracting(UserDetails::name)
                .isEqualTo("Li Si");
        assertThat(loads).hasValue(2);
    }

    @Test
    void aLoadDuringWhichSomeWriteWasAnnouncedIsNotKept() {
        cache.live(true);
        Function<String, Optional<UserDetails>> racing = userId -> {
            Optional<UserDetails> old = database.apply(userId);
            cache.evict(List.of(userId)); // the write commits after the load read the row
            return old;
        };

        cache.user("u1", racing);
        cache.user("u1", database);

        assertThat(loads).as("the second read went to the database again").hasValue(2);
    }

    @Test
    void losingTheNotificationsDropsEverythingKept() {
        cache.live(true);
        cache.user("u1", database);
        cache.live(false);
        cache.live(true);

        cache.user("u1", database);

        assertThat(loads).hasValue(2);
    }

    @Test
    void switchedOffItNeverAnswersFromMemory() {
        MirrorReadCache off = new MirrorReadCache(Duration.ZERO);
        off.live(true);
        off.user("u1", database);
        off.user("u1", database);

        assertThat(off.live()).isFalse();
        assertThat(loads).hasValue(2);
    }

    @Test
    void aWriteTooLargeToNameItsUsersSaysEveryUser() {
        assertThat(MirrorChannel.payload(List.of("u1", "u2"))).isEqualTo("u1,u2");
        assertThat(MirrorChannel.payload(List.of("a,b"))).isEqualTo(MirrorChannel.EVERY_USER);
        assertThat(MirrorChannel.payload(List.of("x".repeat(7_001)))).isEqualTo(MirrorChannel.EVERY_USER);
    }

    private static UserDetails user(String userId, String name) {
        return new UserDetails(
                userId,
                null,
                name,
                null,
                null,
                null,
                null,
                List.of(1L),
                List.of(),
                List.of(),
                null,
                false,
                null,
                true,
                Map.of(),
                Instant.parse("2026-12-07T12:00:00Z"));
    }
}
