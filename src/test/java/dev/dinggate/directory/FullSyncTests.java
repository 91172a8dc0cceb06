package dev.dinggate.directory;

import static dev.dinggate.directory.WireMockOrg.DEPARTMENT_GET;
import static dev.dinggate.directory.WireMockOrg.LIST_SUB;
import static dev.dinggate.directory.WireMockOrg.USER_GET;
import static dev.dinggate.directory.WireMockOrg.USER_LIST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.dingtalk.stream.DingTalkEventListener.Acknowledgement;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The full sync against an organisation in WireMock: what it reads (one {@code listsub} per department, one
 * {@code user/list} per page), what it writes, what it removes, and what it leaves alone when it fails, races an
 * event or finds another replica running.
 */
class FullSyncTests extends DirectoryGatewayTest {

    @Autowired
    FullSync fullSync;

    @Autowired
    FullSyncSchedule schedule;

    @Autowired
    DirectoryEvents events;

    @Autowired
    MirrorStatus status;

    @Autowired
    MeterRegistry meters;

    @Test
    void aFullSyncFillsTheMirrorWithOneListsubPerDepartmentAndOneUserListCallPerPage() {
        WireMockOrg org = acme().serve();
        double syncsBefore = completedSyncs();
        assertThat(meters.get("gateway.directory.confirmed.age").gauge().value())
                .as("no full sync yet: no age, as FILLING is never STALE")
                .isNaN();

        FullSyncSummary summary = fullSync.syncNow().orElseThrow();

        assertThat(summary.users()).isEqualTo(9);
        assertThat(summary.departments()).isEqualTo(5);
        // The root's own read, a listsub for each of the 5 departments, and 1 + 3 + 2 + 1 + 1 pages of users.
        assertThat(summary.calls()).isEqualTo(1 + 5 + 8);
        assertThat(dingTalkCalls()).isEqualTo(14);
        assertThat(org.requests(DEPARTMENT_GET, "{\"dept_id\":1}")).isEqualTo(1);
        for (long department : org.departmentIds()) {
            assertThat(org.requests(LIST_SUB, "{\"dept_id\":" + department + "}"))
                    .as("listsub of %d", department)
                    .isEqualTo(1);
            for (int page = 0; page < org.pagesOf(department); page++) {
                assertThat(org.requests(
                                USER_LIST,
                                "{\"dept_id\":" + department + ",\"cursor\":" + page * PAGE_SIZE + ",\"size\":"
                                        + PAGE_SIZE + "}"))
                        .as("page %d of department %d", page, department)
                        .isEqualTo(1);
            }
        }
        assertThat(org.requests(USER_GET)).isZero();

        assertThat(userIds()).containsExactly("a", "b", "boss", "c", "d", "e", "f", "g", "h");
        assertThat(memberships("a")).containsExactly(2L, 4L);
        assertThat(memberships("c")).containsExactly(2L, 3L);
        assertThat(memberships("boss")).containsExactly(1L);
        assertThat(departments())
                .containsExactly("1 null Acme", "2 1 Sales", "3 1 Support", "4 2 Sales EU", "5 3 Night shift");
        // One change per user and department, though a and c were in two departments' pages.
        assertThat(changes()).hasSize(14).allMatch(change -> change.endsWith(" added"));
        assertThat(changes())
                .filteredOn(change -> change.equals("user a added"))
                .hasSize(1);
        // gateway.directory.store-contact-fields is off: the raw column has neither mobile nor e-mail.
        assertThat(jdbc.sql("SELECT details FROM directory_user")
                        .query(String.class)
                        .list())
                .hasSize(9)
                .allSatisfy(details -> assertThat(details)
                        .contains("\"jobNumber\":\"E-")
                        .doesNotContain("+86-1380000", "@mail.example.com"));

        DirectoryStatus now = status.status();
        assertThat(now.state()).isEqualTo("ready");
        assertThat(now.users()).isEqualTo(9);
        assertThat(now.departments()).isEqualTo(5);
        assertThat(now.lastFullSyncAt()).isNotNull();
        assertThat(meters.get("gateway.directory.users").gauge().value()).isEqualTo(9);
        assertThat(meters.get("gateway.directory.confirmed.age").gauge().value())
                .isBetween(0.0, 60.0);
        assertThat(completedSyncs()).isEqualTo(syncsBefore + 1);
    }

    @Test
    void theNextSyncRemovesWhatDingTalkNoLongerHasAndRecordsOnlyRealChanges() {
        WireMockOrg org = acme().serve();
        fullSync.syncNow().orElseThrow();
        int filled = changes().size();

        org.withoutUser("h")
                .withoutDepartment(5)
                .user("b", "User B Renamed", 2L)
                .serve();
        FullSyncSummary summary = fullSync.syncNow().orElseThrow();

        assertThat(summary.removedUsers()).isEqualTo(1);
        assertThat(summary.removedDepartments()).isEqualTo(1);
        assertThat(userIds()).doesNotContain("h").hasSize(8);
        assertThat(departments()).hasSize(4).noneMatch(department -> department.startsWith("5 "));
        assertThat(name("b")).isEqualTo("User B Renamed");
        assertThat(changes().subList(filled, changes().size()))
                .containsExactlyInAnyOrder("user b modified", "user h removed", "department 5 removed");
    }

    @Test
    void aSyncThatFailsMidwayRemovesNothingAndTheNextOneFinishesTheJob() {
        WireMockOrg org = acme().serve();
        fullSync.syncNow().orElseThrow();
        Instant filledAt = stateColumn("last_full_sync_at");

        org.withoutUser("b").serve();
        org.answerListSub(3, "{\"errcode\":-1,\"errmsg\":\"系统繁忙\"}");
        assertThatThrownBy(fullSync::syncNow).isInstanceOf(DingTalkException.Busy.class);

        assertThat(userIds()).contains("b").hasSize(9);
        assertThat(stateColumn("last_full_sync_at")).isEqualTo(filledAt);
        assertThat(stateColumn("claimed_until")).as("the lease is given back").isNull();
        assertThat(jdbc.sql("SELECT full_sync_failures FROM directory_state")
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        assertThat(meters.get("gateway.directory.full-syncs")
                        .tag("outcome", "failed")
                        .timer()
                        .count())
                .isPositive();

        org.serve();
        assertThat(fullSync.syncNow().orElseThrow().removedUsers()).isEqualTo(1);
        assertThat(userIds()).doesNotContain("b").hasSize(8);
        assertThat(jdbc.sql("SELECT full_sync_failures FROM directory_state")
                        .query(Integer.class)
                        .single())
                .isZero();
    }

    @Test
    void anEventsNewerReadSurvivesASyncPageThatWasReadEarlierButWrittenLater() throws Exception {
        WireMockOrg org = acme().serve();
        // Sales' first page (a, b) is read by the sync, then held at DingTalk; b is in no other department.
        org.hold(2, 0);
        heldAnswers.hold();
        CompletableFuture<Optional<FullSyncSummary>> sync = CompletableFuture.supplyAsync(fullSync::syncNow);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> org.requests(USER_LIST, "{\"dept_id\":2,\"cursor\":0}") == 1);

        org.answerUserGet("b", "{\"errcode\":0,\"result\":" + WireMockOrg.userJson("b", "B After", 2L) + "}");
        assertThat(events.onEvent(event("ev-race", "user_modify_org", "{\"userId\":[\"b\"]}")))
                .isEqualTo(Acknowledgement.SUCCESS);
        assertThat(name("b")).isEqualTo("B After");

        heldAnswers.release();
        assertThat(sync.get(60, TimeUnit.SECONDS)).isPresent();

        assertThat(name("b")).isEqualTo("B After");
        assertThat(userIds()).hasSize(9);
        assertThat(changes()).filteredOn(change -> change.startsWith("user b ")).containsExactly("user b added");
    }

    @Test
    void noSyncStartsWhileAnotherReplicaHoldsTheLeaseAndOneThatRanOutIsTakenOver() {
        acme().serve();
        UUID otherReplica = UUID.randomUUID();
        claim(otherReplica, Instant.now().plus(Duration.ofHours(1)));

        assertThat(fullSync.syncNow()).isEmpty();
        assertThat(schedule.check()).isFalse();
        assertThat(dingTalkCalls()).isZero();

        claim(otherReplica, Instant.now().minusSeconds(1));
        assertThat(fullSync.syncNow()).isPresent();
        assertThat(userIds()).hasSize(9);
        assertThat(stateColumn("claimed_until")).isNull();
    }

    @Test
    void theScheduleFillsAnEmptyMirrorThenWaitsForTheIntervalAndBacksOffAfterAFailure() {
        acme().serve();
        assertThat(status.status().state()).isEqualTo("filling");

        assertThat(schedule.check()).isTrue();
        int calls = dingTalkCalls();
        assertThat(schedule.check())
                .as("the last sync is newer than the interval")
                .isFalse();
        assertThat(dingTalkCalls()).isEqualTo(calls);

        jdbc.sql("UPDATE directory_state SET last_full_sync_at = :at")
                .param("at", Instant.now().minus(Duration.ofHours(7)).atOffset(ZoneOffset.UTC))
                .update();
        assertThat(schedule.check())
                .as("the last sync is older than the interval")
                .isTrue();

        jdbc.sql("UPDATE directory_state SET last_full_sync_at = NULL, full_sync_failures = 2, "
                        + "full_sync_started_at = :at")
                .param("at", Instant.now().minusSeconds(90).atOffset(ZoneOffset.UTC))
                .update();
        assertThat(schedule.check())
                .as("two failures: two minutes before the next try")
                .isFalse();
        jdbc.sql("UPDATE directory_state SET full_sync_started_at = :at")
                .param("at", Instant.now().minusSeconds(150).atOffset(ZoneOffset.UTC))
                .update();
        assertThat(schedule.check()).isTrue();
    }

    private void claim(UUID replica, Instant until) {
        jdbc.sql("UPDATE directory_state SET claimed_by = :replica, claimed_until = :until WHERE id = 1")
                .param("replica", replica)
                .param("until", until.atOffset(ZoneOffset.UTC))
                .update();
    }

    private double completedSyncs() {
        return meters.get("gateway.directory.full-syncs")
                .tag("outcome", "completed")
                .timer()
                .count();
    }
}
