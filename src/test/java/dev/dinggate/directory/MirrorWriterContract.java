package dev.dinggate.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.dingtalk.DingTalkDepartment;
import dev.dinggate.dingtalk.DingTalkUser;
import dev.dinggate.directory.MirrorWriter.Outcome;
import dev.dinggate.support.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the mirror's writes must do on every database the gateway runs on: a read replaces only what an earlier
 * read confirmed, a removal holds against reads that started before it, the change feed records real changes
 * only, and memberships follow the users. Each subclass supplies a database; the schema comes from the
 * application's own Flyway migrations.
 */
abstract class MirrorWriterContract {

    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private DataSource dataSource;
    protected JdbcClient jdbc;
    protected MirrorWriter writer;

    /** A database with an empty schema to migrate into, for this test only. */
    protected abstract DataSource dataSource();

    protected Flyway flyway(DataSource dataSource) {
        return Flyway.configure().dataSource(dataSource).cleanDisabled(false).load();
    }

    @BeforeEach
    void migrate() {
        dataSource = dataSource();
        Flyway flyway = flyway(dataSource);
        flyway.clean();
        flyway.migrate();
        jdbc = JdbcClient.create(dataSource);
        writer = writer(false);
    }

    @Test
    void aUserReadForTheFirstTimeIsAddedWithTheirMembershipsAndOneChange() {
        assertThat(writer.upsertUsers(List.of(user("u1", "Li Si", List.of(2L, 3L))), at(1)))
                .isEqualTo(Map.of("u1", Outcome.ADDED));

        assertThat(column("name_key", "u1")).isEqualTo("li si");
        assertThat(column("job_number_key", "u1")).isEqualTo("e-u1");
        assertThat(column("title_key", "u1")).isEqualTo("engineer");
        assertThat(confirmedAt("u1")).isEqualTo(at(1));
        assertThat(memberships("u1")).containsExactly(2L, 3L);
        assertThat(changes()).containsExactly("user u1 added");
    }

    @Test
    void theSameUserReadAgainIsConfirmedWithoutAChange() {
        writer.upsertUsers(List.of(user("u1", "Li Si", List.of(2L))), at(1));

        assertThat(writer.upsertUsers(List.of(user("u1", "Li Si", List.of(2L))), at(2)))
                .isEqualTo(Map.of("u1", Outcome.CONFIRMED));

        assertThat(confirmedAt("u1")).isEqualTo(at(2));
        assertThat(changes()).containsExactly("user u1 added");
    }

    @Test
    void aUserReadWithOtherContentIsModifiedAndTheirMembershipsFollow() {
        writer.upsertUsers(List.of(user("u1", "Li Si", List.of(2L, 3L))), at(1));

        assertThat(writer.upsertUsers(List.of(user("u1", "Li Wu", List.of(3L, 4L))), at(2)))
                .isEqualTo(Map.of("u1", Outcome.MODIFIED));

        assertThat(column("name", "u1")).isEqualTo("Li Wu");
        assertThat(memberships("u1")).containsExactly(3L, 4L);
        assertThat(changes()).containsExactly("user u1 added", "user u1 modified");
    }

    @Test
    void aReadThatStartedBeforeTheLastConfirmationChangesNothingWhenWrittenLater() {
        writer.upsertUsers(List.of(user("u1", "Newer", List.of(2L))), at(5));

        assertThat(writer.upsertUsers(List.of(user("u1", "Older", List.of(9L))), at(4)))
                .isEqualTo(Map.of("u1", Outcome.OUTDATED));
        assertThat(writer.upsertUsers(List.of(user("u1", "Same instant", List.of(9L))), at(5)))
                .isEqualTo(Map.of("u1", Outcome.OUTDATED));

        assertThat(column("name", "u1")).isEqualTo("Newer");
        assertThat(confirmedAt("u1")).isEqualTo(at(5));
        assertThat(memberships("u1")).containsExactly(2L);
        assertThat(changes()).containsExactly("user u1 added");
    }

    @Test
    void aRemovedUserIsNotBroughtBackByAReadThatStartedBeforeTheRemovalButIsByALaterOne() {
        writer.upsertUsers(List.of(user("u1", "Li Si", List.of(2L))), at(1));

        assertThat(writer.removeUser("u1", at(3))).isEqualTo(Outcome.REMOVED);
        assertThat(userCount()).isZero();
        assertThat(memberships("u1")).isEmpty();

        assertThat(writer.upsertUsers(List.of(user("u1", "Li Si", List.of(2L))), at(2)))
                .isEqualTo(Map.of("u1", Outcome.OUTDATED));
        assertThat(userCount()).isZero();

        assertThat(writer.upsertUsers(List.of(user("u1", "Li Si", List.of(2L))), at(4)))
                .isEqualTo(Map.of("u1", Outcome.ADDED));
        assertThat(memberships("u1")).containsExactly(2L);
        assertThat(changes()).containsExactly("user u1 added", "user u1 removed", "user u1 added");
    }

    @Test
    void aRemovalFoundByAReadOlderThanTheLastConfirmationKeepsTheUser() {
        writer.upsertUsers(List.of(user("u1", "Li Si", List.of(2L))), at(5));

        assertThat(writer.removeUser("u1", at(4))).isEqualTo(Outcome.OUTDATED);

        assertThat(userCount()).isEqualTo(1);
        assertThat(changes()).containsExactly("user u1 added");
    }

    @Test
    void aRemovalOfAUserTheMirrorNeverHeldStillStopsAnOlderReadFromAddingThem() {
        assertThat(writer.removeUser("u1", at(3))).isEqualTo(Outcome.ABSENT);

        assertThat(writer.upsertUsers(List.of(user("u1", "Li Si", List.of(2L))), at(2)))
                .isEqualTo(Map.of("u1", Outcome.OUTDATED));
        assertThat(userCount()).isZero();
        assertThat(changes()).isEmpty();
    }

    @Test
    void mobileAndEmailAreNotStoredUnlessTheSettingsAskForThem() {
        writer.upsertUsers(List.of(user("u1", "Li Si", List.of(2L))), at(1));

        assertThat(column("details", "u1"))
                .contains("\"userId\":\"u1\"", "\"jobNumber\":\"E-u1\"")
                .doesNotContain("13800001111", "li.si@example.com");

        writer(true).upsertUsers(List.of(user("u2", "Wang Wu", List.of(2L))), at(1));
        assertThat(column("details", "u2")).contains("13800001111", "li.si@example.com");
    }

    @Test
    void aUserWithoutTitleJobNumberOrActiveFlagIsStoredWithEmptyKeys() {
        DingTalkUser bare = new DingTalkUser(
                "u1", null, "Bare", null, null, null, null, List.of(), List.of(), List.of(), null, false, null, null);

        assertThat(writer.upsertUsers(List.of(bare), at(1))).isEqualTo(Map.of("u1", Outcome.ADDED));

        assertThat(column("title_key", "u1")).isNull();
        assertThat(column("job_number_key", "u1")).isNull();
        assertThat(column("active", "u1")).isNull();
        assertThat(memberships("u1")).isEmpty();
    }

    @Test
    void theWriteThroughWritesNothingWhileTheMirrorIsOff() {
        DirectoryProperties off = new DirectoryProperties(
                false,
                Duration.ofHours(6),
                Duration.ofMinutes(30),
                Duration.ofHours(7),
                false,
                100,
                4,
                Duration.ofSeconds(15),
                Duration.ZERO);
        MirrorWriteThrough writeThrough =
                new MirrorWriteThrough(writer, off, new StaticListableBeanFactory().getBeanProvider(Clock.class));

        writeThrough.userWritten(user("u1", "Li Si", List.of(2L)));
        writeThrough.userRemoved("u2");

        assertThat(userCount()).isZero();
        assertThat(changes()).isEmpty();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM directory_removed")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void departmentsAreAddedModifiedAndConfirmedAndTheRootHasNoParent() {
        assertThat(writer.upsertDepartments(
                        List.of(new DingTalkDepartment(1, "Acme", 0), new DingTalkDepartment(2, "Sales", 1)), at(1)))
                .isEqualTo(Map.of(1L, Outcome.ADDED, 2L, Outcome.ADDED));
        assertThat(writer.upsertDepartments(
                        List.of(new DingTalkDepartment(1, "Acme", 0), new DingTalkDepartment(2, "Sales EU", 1)), at(2)))
                .isEqualTo(Map.of(1L, Outcome.CONFIRMED, 2L, Outcome.MODIFIED));
        assertThat(writer.upsertDepartments(List.of(new DingTalkDepartment(2, "Older", 1)), at(1)))
                .isEqualTo(Map.of(2L, Outcome.OUTDATED));

        assertThat(jdbc.sql("SELECT id, parent_id, name FROM directory_department ORDER BY id")
                        .query((row, number) ->
                                row.getLong("id") + " " + row.getObject("parent_id") + " " + row.getString("name"))
                        .list())
                .containsExactly("1 null Acme", "2 1 Sales EU");
        assertThat(changes()).containsExactly("department 1 added", "department 2 added", "department 2 modified");
    }

    @Test
    void aRemovedDepartmentTakesItsMembershipsWithItAndHoldsAgainstOlderReads() {
        writer.upsertDepartments(List.of(new DingTalkDepartment(3, "Support", 1)), at(1));
        writer.upsertUsers(List.of(user("u1", "Li Si", List.of(2L, 3L))), at(1));

        assertThat(writer.removeDepartment(3, at(2))).isEqualTo(Outcome.REMOVED);
        assertThat(writer.upsertDepartments(List.of(new DingTalkDepartment(3, "Support", 1)), at(1)))
                .isEqualTo(Map.of(3L, Outcome.OUTDATED));

        assertThat(memberships("u1")).containsExactly(2L);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM directory_department")
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(changes()).containsExactly("department 3 added", "user u1 added", "department 3 removed");
    }

    @Test
    void theSweepRemovesWhatNoReadConfirmedSinceTheSyncStarted() {
        writer.upsertDepartments(
                List.of(new DingTalkDepartment(2, "Sales", 1), new DingTalkDepartment(3, "Gone", 1)), at(1));
        writer.upsertUsers(List.of(user("stays", "Stays", List.of(2L)), user("left", "Left", List.of(3L))), at(1));
        writer.upsertDepartments(List.of(new DingTalkDepartment(2, "Sales", 1)), at(3));
        writer.upsertUsers(List.of(user("stays", "Stays", List.of(2L))), at(3));

        assertThat(writer.removeUnconfirmedSince(at(2))).isEqualTo(new MirrorWriter.Swept(1, 1));

        assertThat(jdbc.sql("SELECT user_id FROM directory_user")
                        .query(String.class)
                        .list())
                .containsExactly("stays");
        assertThat(memberships("left")).isEmpty();
        assertThat(changes()).endsWith("user left removed", "department 3 removed");
        // The sweep's removal holds against a read older than the sync, written late.
        assertThat(writer.upsertUsers(List.of(user("left", "Left", List.of(3L))), at(1)))
                .isEqualTo(Map.of("left", Outcome.OUTDATED));
    }

    @Test
    void anEventIsRecordedOnceAndCountedOnceInTheFleetsFigures() {
        assertThat(writer.eventSeen("ev-1")).isFalse();

        assertThat(writer.recordEvent("ev-1", at(1))).isTrue();
        assertThat(writer.recordEvent("ev-1", at(2))).isFalse();

        assertThat(writer.eventSeen("ev-1")).isTrue();
        assertThat(jdbc.sql("SELECT events_received FROM directory_state")
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        assertThat(jdbc.sql("SELECT last_event_at FROM directory_state")
                        .query(OffsetDateTime.class)
                        .single()
                        .toInstant())
                .isEqualTo(at(1));
    }

    @Test
    void thePurgeForgetsEventIdsAndRemovalsRecordedBeforeItsCutOff() {
        writer.recordEvent("old", at(1));
        writer.recordEvent("new", at(10));
        writer.removeUser("u-old", at(1));
        writer.removeUser("u-new", at(10));

        assertThat(writer.purge(at(5))).isEqualTo(2);

        assertThat(writer.eventSeen("old")).isFalse();
        assertThat(writer.eventSeen("new")).isTrue();
        assertThat(jdbc.sql("SELECT id FROM directory_removed")
                        .query(String.class)
                        .list())
                .containsExactly("u-new");
    }

    @Test
    void theChangeFeedsSequenceFollowsTheOrderOfTheWrites() {
        writer.upsertUsers(List.of(user("a", "A", List.of(2L)), user("b", "B", List.of(2L))), at(1));
        writer.removeUser("a", at(2));
        writer.upsertDepartments(List.of(new DingTalkDepartment(2, "Sales", 1)), at(2));

        assertThat(changes()).containsExactly("user a added", "user b added", "user a removed", "department 2 added");
        assertThat(jdbc.sql("SELECT seq FROM directory_change ORDER BY seq")
                        .query(Long.class)
                        .list())
                .isSorted()
                .doesNotHaveDuplicates();
    }

    private MirrorWriter writer(boolean storeContactFields) {
        return new MirrorWriter(
                dataSource,
                new JdbcTransactionManager(dataSource),
                JsonMapper.builder().build(),
                storeContactFields,
                new MirrorChannel(dataSource, new MirrorReadCache(Duration.ZERO)),
                clock);
    }

    static Instant at(int minute) {
        return T0.plus(Duration.ofMinutes(minute));
    }

    static DingTalkUser user(String userId, String name, List<Long> departmentIds) {
        return new DingTalkUser(
                userId,
                "union-" + userId,
                name,
                "+86-13800001111",
                "li.si@example.com",
                "Engineer",
                "E-" + userId,
                departmentIds,
                List.of(),
                List.of("Staff"),
                null,
                false,
                null,
                true);
    }

    private @Nullable String column(String column, String userId) {
        return jdbc.sql("SELECT " + column + " FROM directory_user WHERE user_id = :id")
                .param("id", userId)
                .query((row, number) -> row.getString(1))
                .list()
                .getFirst();
    }

    private Instant confirmedAt(String userId) {
        return jdbc.sql("SELECT confirmed_at FROM directory_user WHERE user_id = :id")
                .param("id", userId)
                .query(OffsetDateTime.class)
                .single()
                .toInstant();
    }

    private List<Long> memberships(String userId) {
        return jdbc.sql(
                        "SELECT department_id FROM directory_user_department WHERE user_id = :id ORDER BY department_id")
                .param("id", userId)
                .query(Long.class)
                .list();
    }

    private long userCount() {
        return jdbc.sql("SELECT COUNT(*) FROM directory_user").query(Long.class).single();
    }

    private List<String> changes() {
        return jdbc.sql("SELECT kind, id, change FROM directory_change ORDER BY seq")
                .query((row, number) ->
                        row.getString("kind") + " " + row.getString("id") + " " + row.getString("change"))
                .list();
    }
}
