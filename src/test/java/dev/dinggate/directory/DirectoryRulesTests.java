package dev.dinggate.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.dingtalk.stream.StreamStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The mirror's rules that need neither DingTalk nor a database: its state, when a sync is due, events' ids. */
class DirectoryRulesTests {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Duration STALE_AFTER = Duration.ofHours(7);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DirectoryProperties properties = new DirectoryProperties(
            true,
            Duration.ofHours(6),
            Duration.ofMinutes(30),
            STALE_AFTER,
            false,
            100,
            4,
            Duration.ofSeconds(15),
            Duration.ZERO);

    @Test
    void theMirrorIsFillingUntilAFullSyncCompletedAndStaleWhenNothingConfirmedItForLong() {
        assertThat(DirectoryState.of(null, NOW, NOW, STALE_AFTER)).isEqualTo(DirectoryState.FILLING);
        assertThat(DirectoryState.of(NOW.minus(Duration.ofHours(1)), null, NOW, STALE_AFTER))
                .isEqualTo(DirectoryState.READY);
        assertThat(DirectoryState.of(NOW.minus(Duration.ofHours(8)), null, NOW, STALE_AFTER))
                .isEqualTo(DirectoryState.STALE);
        assertThat(DirectoryState.of(
                        NOW.minus(Duration.ofHours(8)), NOW.minus(Duration.ofMinutes(5)), NOW, STALE_AFTER))
                .as("an event confirmed it since")
                .isEqualTo(DirectoryState.READY);
        assertThat(DirectoryState.STALE.json()).isEqualTo("stale");
    }

    @Test
    void theShorterIntervalAppliesOnlyWhileThisReplicasStreamIsDown() {
        StreamStatus down = new StreamStatus(true, false, null, null, 0, 3);
        StreamStatus up = new StreamStatus(true, true, NOW, NOW, 10, 0);

        assertThat(FullSyncSchedule.intervalWith(down, properties)).isEqualTo(Duration.ofMinutes(30));
        assertThat(FullSyncSchedule.intervalWith(up, properties)).isEqualTo(Duration.ofHours(6));
        assertThat(FullSyncSchedule.intervalWith(StreamStatus.disabled(), properties))
                .isEqualTo(Duration.ofHours(6));
    }

    @Test
    void aSyncIsDueWhenNeverRunOrOlderThanTheIntervalAndNotWhileLeasedOrBackingOff() {
        Duration interval = Duration.ofHours(6);
        Duration longest = Duration.ofMinutes(30);

        assertThat(state(null, null, 0, null).dueAt(NOW, interval, longest)).isTrue();
        assertThat(state(NOW.minus(Duration.ofHours(5)), null, 0, null).dueAt(NOW, interval, longest))
                .isFalse();
        assertThat(state(NOW.minus(Duration.ofHours(6)), null, 0, null).dueAt(NOW, interval, longest))
                .isTrue();
        assertThat(state(null, null, 0, NOW.plusSeconds(30)).dueAt(NOW, interval, longest))
                .as("another replica holds the lease")
                .isFalse();
        assertThat(state(null, null, 0, NOW.minusSeconds(1)).dueAt(NOW, interval, longest))
                .as("its lease ran out")
                .isTrue();
        // One minute after one failure, doubled after each further one, at most the longest wait.
        assertThat(state(null, NOW.minusSeconds(59), 1, null).dueAt(NOW, interval, longest))
                .isFalse();
        assertThat(state(null, NOW.minusSeconds(60), 1, null).dueAt(NOW, interval, longest))
                .isTrue();
        assertThat(state(null, NOW.minus(Duration.ofMinutes(7)), 4, null).dueAt(NOW, interval, longest))
                .isFalse();
        assertThat(state(null, NOW.minus(Duration.ofMinutes(30)), 20, null).dueAt(NOW, interval, longest))
                .isTrue();
    }

    @Test
    void eventsNameIdsAsListsOrSingleValuesAsNumbersOrStrings() {
        assertThat(EventData.userIds(JSON, "{\"userId\":[\"u1\",\"u2\",\"u1\"],\"optStaffId\":\"x\"}"))
                .containsExactly("u1", "u2");
        assertThat(EventData.userIds(JSON, "{\"userId\":\"u1\"}")).containsExactly("u1");
        assertThat(EventData.userIds(JSON, "{\"userId\":[\"\",\"" + "x".repeat(65) + "\"]}"))
                .isEmpty();
        assertThat(EventData.departmentIds(JSON, "{\"deptId\":[3,\"4\",\"sales\",-1,3.5]}"))
                .containsExactly(3L, 4L);
        assertThat(EventData.departmentIds(JSON, "{\"deptId\":7}")).containsExactly(7L);
        assertThat(EventData.departmentIds(JSON, "{\"userId\":[\"u1\"]}")).isEmpty();
        assertThat(EventData.userIds(JSON, "[not json")).isEmpty();
    }

    private static SyncLease.State state(
            Instant lastFullSyncAt, Instant startedAt, int failures, Instant claimedUntil) {
        return new SyncLease.State(
                lastFullSyncAt, startedAt, failures, claimedUntil == null ? null : UUID.randomUUID(), claimedUntil);
    }
}
