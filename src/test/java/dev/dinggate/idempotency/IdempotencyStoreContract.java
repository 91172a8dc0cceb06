package dev.dinggate.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the key store must do on every database the gateway runs on. Each subclass supplies a database;
 * the table comes from the application's own Flyway migrations.
 */
abstract class IdempotencyStoreContract {

    private static final Instant T0 = Instant.parse("2026-11-21T08:00:00Z");
    private static final Duration CLAIM = Duration.ofMinutes(10);
    private static final StoredAnswer CREATED = new StoredAnswer(
            201,
            "application/json",
            "/api/v1/users/emp9",
            "{\"state\":\"created\",\"userId\":\"emp9\"}".getBytes(StandardCharsets.UTF_8));

    private IdempotencyStore store;
    private JdbcClient jdbc;
    private DataSource dataSource;

    /** A database with an empty schema to migrate into, for this test only. */
    protected abstract DataSource dataSource();

    /** Extra Flyway settings, e.g. the schema to use. */
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
        store = new IdempotencyStore(dataSource);
    }

    private IdempotencyStore.Claim claim(String id, String fingerprint, Instant now) {
        return store.claim(id, fingerprint, now, now.plus(CLAIM));
    }

    @Test
    void theFirstClaimIsGrantedAndTheKeyIsThenInFlightOrTakenByAnotherRequest() {
        assertThat(claim("k1", "request-a", T0)).isInstanceOf(IdempotencyStore.Claim.Granted.class);

        assertThat(claim("k1", "request-a", T0.plusSeconds(1))).isInstanceOf(IdempotencyStore.Claim.InFlight.class);
        assertThat(claim("k1", "request-b", T0.plusSeconds(1))).isInstanceOf(IdempotencyStore.Claim.OtherRequest.class);
        assertThat(claim("k2", "request-a", T0.plusSeconds(1)))
                .as("another key is another claim")
                .isInstanceOf(IdempotencyStore.Claim.Granted.class);
    }

    @Test
    void aStoredAnswerComesBackWhole() {
        var granted = (IdempotencyStore.Claim.Granted) claim("k1", "request-a", T0);
        assertThat(store.complete("k1", granted.attempt(), CREATED, T0.plus(Duration.ofHours(24))))
                .isTrue();

        var answered = (IdempotencyStore.Claim.Answered) claim("k1", "request-a", T0.plusSeconds(5));
        assertThat(answered.answer().status()).isEqualTo(201);
        assertThat(answered.answer().contentType()).isEqualTo("application/json");
        assertThat(answered.answer().location()).isEqualTo("/api/v1/users/emp9");
        assertThat(answered.answer().body()).isEqualTo(CREATED.body());
        assertThat(claim("k1", "request-b", T0.plusSeconds(5))).isInstanceOf(IdempotencyStore.Claim.OtherRequest.class);
    }

    @Test
    void anAnswerWithoutBodyComesBackEmpty() {
        var granted = (IdempotencyStore.Claim.Granted) claim("k1", "delete", T0);
        store.complete(
                "k1", granted.attempt(), new StoredAnswer(204, null, null, new byte[0]), T0.plus(Duration.ofHours(1)));

        var answered = (IdempotencyStore.Claim.Answered) claim("k1", "delete", T0.plusSeconds(1));
        assertThat(answered.answer().status()).isEqualTo(204);
        assertThat(answered.answer().contentType()).isNull();
        assertThat(answered.answer().body()).isEmpty();
    }

    @Test
    void aReleasedKeyIsGrantedAgainEvenForAnotherRequest() {
        var granted = (IdempotencyStore.Claim.Granted) claim("k1", "request-a", T0);
        store.release("k1", granted.attempt());

        assertThat(claim("k1", "request-b", T0.plusSeconds(1))).isInstanceOf(IdempotencyStore.Claim.Granted.class);
    }

    @Test
    void anExpiredAnswerOrClaimCountsAsAbsent() {
        var first = (IdempotencyStore.Claim.Granted) claim("answered", "request-a", T0);
        store.complete("answered", first.attempt(), CREATED, T0.plus(Duration.ofHours(24)));
        claim("abandoned", "request-a", T0);

        Instant justBefore = T0.plus(Duration.ofHours(24)).minusMillis(1);
        assertThat(claim("answered", "request-b", justBefore)).isInstanceOf(IdempotencyStore.Claim.OtherRequest.class);
        assertThat(claim("answered", "request-b", T0.plus(Duration.ofHours(24))))
                .isInstanceOf(IdempotencyStore.Claim.Granted.class);
        assertThat(claim("abandoned", "request-a", T0.plus(CLAIM).minusMillis(1)))
                .isInstanceOf(IdempotencyStore.Claim.InFlight.class);
        assertThat(claim("abandoned", "request-a", T0.plus(CLAIM))).isInstanceOf(IdempotencyStore.Claim.Granted.class);
    }

    @Test
    void aClaimTakenOverAfterItExpiredCanNoLongerStoreItsAnswer() {
        var slow = (IdempotencyStore.Claim.Granted) claim("k1", "request-a", T0);
        var next = (IdempotencyStore.Claim.Granted) claim("k1", "request-a", T0.plus(CLAIM));

        assertThat(store.complete("k1", slow.attempt(), CREATED, T0.plus(Duration.ofHours(24))))
                .isFalse();
        store.release("k1", slow.attempt());
        assertThat(claim("k1", "request-a", T0.plus(CLAIM).plusSeconds(1)))
                .as("the late request neither answered nor released the new claim")
                .isInstanceOf(IdempotencyStore.Claim.InFlight.class);
        assertThat(store.complete("k1", next.attempt(), CREATED, T0.plus(Duration.ofHours(24))))
                .isTrue();
    }

    @Test
    void ofManyRequestsRacingForOneKeyExactlyOneWins() throws Exception {
        claim("expired", "request-a", T0);
        Instant later = T0.plus(CLAIM).plusSeconds(1);
        for (String id : List.of("fresh", "expired")) {
            List<IdempotencyStore.Claim> claims = race(8, () -> claim(id, "request-a", later));

            assertThat(claims)
                    .as(id)
                    .filteredOn(IdempotencyStore.Claim.Granted.class::isInstance)
                    .hasSize(1);
            assertThat(claims)
                    .as(id)
                    .filteredOn(IdempotencyStore.Claim.InFlight.class::isInstance)
                    .hasSize(7);
        }
    }

    @Test
    void thePurgeDeletesExpiredRowsOnlyInAsManyRoundsAsItTakes() {
        int expired = IdempotencyStore.PURGE_BATCH + 5;
        // Claims a dead replica left, written in one batch (a claim each would open a connection each).
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < expired; i++) {
            rows.add(new Object[] {
                "old-" + i, "request-a", UUID.randomUUID(), T0.plus(CLAIM).atOffset(ZoneOffset.UTC)
            });
        }
        new JdbcTemplate(dataSource)
                .batchUpdate(
                        "INSERT INTO idempotency_key (id, fingerprint, attempt, expires_at) VALUES (?, ?, ?, ?)", rows);
        var kept = (IdempotencyStore.Claim.Granted) claim("kept", "request-a", T0.plus(Duration.ofHours(1)));
        store.complete("kept", kept.attempt(), CREATED, T0.plus(Duration.ofHours(25)));

        assertThat(store.purgeExpired(T0.plus(Duration.ofHours(2)))).isEqualTo(expired);

        assertThat(jdbc.sql("SELECT id FROM idempotency_key")
                        .query(String.class)
                        .list())
                .containsExactly("kept");
        assertThat(store.purgeExpired(T0.plus(Duration.ofHours(2)))).isZero();
    }

    private static List<IdempotencyStore.Claim> race(int requests, Callable<IdempotencyStore.Claim> claim)
            throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(requests);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<IdempotencyStore.Claim>> results = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                results.add(threads.submit(() -> {
                    start.await();
                    return claim.call();
                }));
            }
            start.countDown();
            List<IdempotencyStore.Claim> claims = new ArrayList<>();
            for (Future<IdempotencyStore.Claim> result : results) {
                claims.add(result.get());
            }
            return claims;
        } finally {
            threads.shutdownNow();
        }
    }
}
