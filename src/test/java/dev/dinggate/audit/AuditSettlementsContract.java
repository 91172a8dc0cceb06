package dev.dinggate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * What the settlement facts and their claims must do on every database the gateway supports: replicas
 * sharing one schema never check one change twice, a dead replica's claim runs out, settling is one
 * step that keeps the original outcome, and facts go as soon as nobody needs them.
 */
abstract class AuditSettlementsContract {

    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
    private static final Duration DELAY = Duration.ofSeconds(30);
    private static final Duration LEASE = Duration.ofMinutes(5);

    private JdbcAuditStore store;
    private JdbcClient jdbc;
    private DataSource dataSource;
    private final List<Object> published = Collections.synchronizedList(new ArrayList<>());

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
        store = new JdbcAuditStore(jdbc);
    }

    /** One replica's view of the table: its own connections, as another process would have. */
    private AuditSettlements replica() {
        return new AuditSettlements(
                JdbcClient.create(dataSource), new JdbcTransactionManager(dataSource), published::add);
    }

    @Test
    void twoReplicasClaimingTheSameDueChangesNeverBothGetOne() throws Exception {
        for (int i = 0; i < 40; i++) {
            unknownWithFacts(T0);
        }
        AuditSettlements first = replica();
        AuditSettlements second = replica();
        Instant now = T0.plus(DELAY);
        Set<UUID> claimedByFirst = ConcurrentHashMap.newKeySet();
        Set<UUID> claimedBySecond = ConcurrentHashMap.newKeySet();
        // Both find all forty due before either claims one: each then tries to claim every one of them.
        CyclicBarrier bothFoundThem = new CyclicBarrier(2);
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<?> a = pool.submit(() -> claimAll(first, now, bothFoundThem, claimedByFirst));
            Future<?> b = pool.submit(() -> claimAll(second, now, bothFoundThem, claimedBySecond));
            a.get();
            b.get();
        }

        assertThat(Collections.disjoint(claimedByFirst, claimedBySecond)).isTrue();
        assertThat(claimedByFirst.size() + claimedBySecond.size()).isEqualTo(40);
        assertThat(first.due(now, now, 100)).as("all claimed: none due").isEmpty();
    }

    private static void claimAll(
            AuditSettlements replica, Instant now, CyclicBarrier bothFoundThem, Set<UUID> claimed) {
        UUID me = UUID.randomUUID();
        List<AuditSettlements.Due> due = replica.due(now, now, 100);
        assertThat(due).hasSize(40);
        try {
            bothFoundThem.await();
        } catch (InterruptedException | BrokenBarrierException interrupted) {
            throw new IllegalStateException(interrupted);
        }
        for (AuditSettlements.Due change : due) {
            if (replica.claim(change, me, now, now.plus(LEASE))) {
                claimed.add(change.auditEventId());
            }
        }
    }

    @Test
    void aChangeIsDueOnlyOnceUnknownForTheDelay() {
        UUID id = unknownWithFacts(T0);
        AuditSettlements settlements = replica();

        Instant tooEarly = T0.plus(DELAY).minusSeconds(1);
        assertThat(settlements.due(tooEarly.minus(DELAY), tooEarly, 10)).isEmpty();
        assertThat(settlements.due(T0, T0.plus(DELAY), 10)).singleElement().satisfies(due -> {
            assertThat(due.auditEventId()).isEqualTo(id);
            assertThat(due.kind()).isEqualTo("user.create");
            assertThat(due.facts()).contains("+86-13800000000");
            assertThat(due.toString()).doesNotContain("13800000000");
        });
    }

    @Test
    void aPendingChangeIsNeverDueItsOutcomeMayStillArrive() {
        UUID id = UUID.randomUUID();
        replica().insert(id, facts(), T0);
        store.insertPending(pending(id, T0));

        assertThat(replica().due(T0.plus(Duration.ofDays(1)), T0.plus(Duration.ofDays(1)), 10))
                .isEmpty();
    }

    @Test
    void aDeadReplicasClaimRunsOutWithItsLease() {
        unknownWithFacts(T0);
        AuditSettlements settlements = replica();
        Instant now = T0.plus(DELAY);
        AuditSettlements.Due due = settlements.due(now, now, 10).getFirst();
        assertThat(settlements.claim(due, UUID.randomUUID(), now, now.plus(LEASE)))
                .isTrue();

        Instant beforeExpiry = now.plus(LEASE).minusSeconds(1);
        assertThat(settlements.due(beforeExpiry, beforeExpiry, 10)).isEmpty();
        assertThat(settlements.claim(due, UUID.randomUUID(), beforeExpiry, beforeExpiry.plus(LEASE)))
                .isFalse();
        Instant expired = now.plus(LEASE);
        assertThat(settlements.due(expired, expired, 10)).hasSize(1);
        assertThat(settlements.claim(due, UUID.randomUUID(), expired, expired.plus(LEASE)))
                .isTrue();
    }

    @Test
    void settlingRecordsOutcomeWhenHowAndTheOriginalOutcomeDropsTheFactsAndTellsListeners() {
        UUID id = unknownWithFacts(T0);
        AuditSettlements settlements = replica();
        UUID me = UUID.randomUUID();
        Instant now = T0.plus(DELAY);
        assertThat(settlements.claim(settlements.due(now, now, 10).getFirst(), me, now, now.plus(LEASE)))
                .isTrue();

        assertThat(settlements.settle(id, me, AuditOutcome.SUCCEEDED, now, "user u1 found by mobile"))
                .isTrue();

        AuditEvent row = store.find(query(null)).getFirst();
        assertThat(row.outcome()).isEqualTo(AuditOutcome.SUCCEEDED);
        assertThat(row.reconciled())
                .isEqualTo(new Reconciliation(now, "user u1 found by mobile", AuditOutcome.UNKNOWN));
        assertThat(factsRows()).as("personal data kept no longer than needed").isZero();
        assertThat(published)
                .containsExactly(new ChangeReconciled(id, AuditOutcome.SUCCEEDED, now, "user u1 found by mobile"));
        assertThat(store.find(query(true))).extracting(AuditEvent::id).containsExactly(id);
        assertThat(store.find(query(false))).isEmpty();
    }

    @Test
    void aReplicaWhoseClaimWasTakenOverSettlesNothing() {
        UUID id = unknownWithFacts(T0);
        AuditSettlements settlements = replica();
        Instant now = T0.plus(DELAY);
        AuditSettlements.Due due = settlements.due(now, now, 10).getFirst();
        UUID slow = UUID.randomUUID();
        settlements.claim(due, slow, now, now.plus(LEASE));
        Instant later = now.plus(LEASE);
        assertThat(settlements.claim(due, UUID.randomUUID(), later, later.plus(LEASE)))
                .isTrue();

        assertThat(settlements.settle(id, slow, AuditOutcome.FAILED, later, "too late"))
                .isFalse();

        assertThat(store.find(query(null)).getFirst().outcome()).isEqualTo(AuditOutcome.UNKNOWN);
        assertThat(published).isEmpty();
    }

    @Test
    void aCheckThatSettledNothingIsDueAgainLaterAndGivingUpDropsTheFacts() {
        UUID id = unknownWithFacts(T0);
        AuditSettlements settlements = replica();
        UUID me = UUID.randomUUID();
        Instant now = T0.plus(DELAY);
        settlements.claim(settlements.due(now, now, 10).getFirst(), me, now, now.plus(LEASE));

        settlements.checkAgainAt(id, me, now.plus(Duration.ofMinutes(1)));

        assertThat(settlements.due(now, now.plusSeconds(59), 10)).isEmpty();
        AuditSettlements.Due again =
                settlements.due(now, now.plusSeconds(60), 10).getFirst();
        assertThat(again.attempts()).isEqualTo(1);
        assertThat(settlements.unsettled()).isEqualTo(new AuditSettlements.Unsettled(1, 1));

        settlements.claim(again, me, now.plusSeconds(60), now.plus(LEASE));
        settlements.giveUp(id, me);

        assertThat(factsRows()).isZero();
        assertThat(store.find(query(null)).getFirst().outcome()).isEqualTo(AuditOutcome.UNKNOWN);
        assertThat(settlements.unsettled()).isEqualTo(new AuditSettlements.Unsettled(1, 0));
        assertThat(store.find(
                        new AuditEventQuery(null, null, null, AuditOutcome.UNKNOWN, null, null, false, null, null)))
                .extracting(AuditEvent::id)
                .containsExactly(id);
    }

    @Test
    void orphanFactsAreForgottenButThoseOfChangesInFlightOrUnknownAreKept() {
        UUID unknown = unknownWithFacts(T0);
        UUID inFlight = UUID.randomUUID();
        replica().insert(inFlight, facts(), T0);
        store.insertPending(pending(inFlight, T0));
        UUID completed = UUID.randomUUID();
        replica().insert(completed, facts(), T0);
        store.insertPending(pending(completed, T0));
        store.complete(completed, AuditOutcome.SUCCEEDED, T0, 5, null, null, null);
        UUID neverRecorded = UUID.randomUUID();
        replica().insert(neverRecorded, facts(), T0);
        UUID justRecording = UUID.randomUUID();
        replica().insert(justRecording, facts(), T0.plus(LEASE));

        assertThat(replica().forgetOrphans(T0.plusSeconds(1))).isEqualTo(2);

        assertThat(jdbc.sql("SELECT audit_event_id FROM audit_settlement")
                        .query(UUID.class)
                        .list())
                .containsExactlyInAnyOrder(unknown, inFlight, justRecording);
    }

    private UUID unknownWithFacts(Instant completedAt) {
        UUID id = UUID.randomUUID();
        replica().insert(id, facts(), completedAt.minusSeconds(1));
        store.insertPending(pending(id, completedAt.minusSeconds(1)));
        store.complete(id, AuditOutcome.UNKNOWN, completedAt, 1000, "dingtalk.OutcomeUnknown", null, null);
        return id;
    }

    private static Settlement facts() {
        return new Settlement("user.create", "{\"mobile\":\"+86-13800000000\",\"userId\":null}");
    }

    private int factsRows() {
        return jdbc.sql("SELECT COUNT(*) FROM audit_settlement")
                .query(Integer.class)
                .single();
    }

    private static AuditEvent pending(UUID id, Instant at) {
        return new AuditEvent(
                id,
                at,
                null,
                null,
                "hr-admin",
                "hr-system",
                null,
                "user.create",
                "mobile:+86-138******00",
                "create user",
                AuditOutcome.PENDING,
                null,
                null,
                null,
                "req-1");
    }

    private static AuditEventQuery query(Boolean reconciled) {
        return new AuditEventQuery(null, null, null, null, null, null, reconciled, null, null);
    }
}
