package dev.dinggate.directory;

import static dev.dinggate.directory.Timestamps.instant;
import static dev.dinggate.directory.Timestamps.micros;
import static dev.dinggate.directory.Timestamps.utc;

import dev.dinggate.dingtalk.DingTalkDepartment;
import dev.dinggate.dingtalk.DingTalkUser;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every write to the mirror. Each runs in a transaction that first locks {@code directory_state}'s row, so that
 * writers across the fleet take turns and the change feed's sequence numbers commit in the order they were
 * drawn. A row is written only by a read that started after the one that last confirmed it (or found it gone),
 * and a change is recorded only when the content changed.
 */
@Component
class MirrorWriter {

    static final String USER = "user";
    static final String DEPARTMENT = "department";
    /** DingTalk's root department: the organisation itself. */
    static final long ROOT = 1;

    /** What a write did to one row. */
    enum Outcome {
        ADDED,
        MODIFIED,
        /** The content was already so: only when it was last confirmed moved. */
        CONFIRMED,
        REMOVED,
        /** A removal of a row the mirror did not hold. */
        ABSENT,
        /** A read that started later had confirmed the row, or found it gone: nothing written. */
        OUTDATED
    }

    /** Rows a full sync's sweep removed. */
    record Swept(int users, int departments) {}

    private static final String CHANGE =
            "INSERT INTO directory_change (kind, id, change, at) VALUES (:kind, :id, :change, :at)";

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batches;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final boolean storeContactFields;
    private final MirrorChannel channel;
    private final Clock clock;

    @Autowired
    MirrorWriter(
            DataSource dataSource,
            PlatformTransactionManager transactions,
            JsonMapper json,
            DirectoryProperties properties,
            MirrorChannel channel,
            ObjectProvider<Clock> clock) {
        this(
                dataSource,
                transactions,
                json,
                properties.storeContactFields(),
                channel,
                clock.getIfAvailable(Clock::systemUTC));
    }

    MirrorWriter(
            DataSource dataSource,
            PlatformTransactionManager transactions,
            JsonMapper json,
            boolean storeContactFields,
            MirrorChannel channel,
            Clock clock) {
        this.batches = new NamedParameterJdbcTemplate(dataSource);
        this.jdbc = JdbcClient.create(batches);
        this.transactions = new TransactionTemplate(transactions);
        this.json = json;
        this.storeContactFields = storeContactFields;
        this.channel = channel;
        this.clock = clock;
    }

    /** Runs {@code work} in one mirror transaction; the writes it makes through this writer join it. */
    <T> T write(Supplier<T> work) {
        return Objects.requireNonNull(transactions.execute(status -> {
            jdbc.sql("SELECT id FROM directory_state WHERE id = 1 FOR UPDATE")
                    .query(Integer.class)
                    .single();
            return work.get();
        }));
    }

    /**
     * Users as a read that started at {@code readAt} found them, by userId. Users found as the mirror holds them
     * are confirmed first without the fleet's lock (most reads of DingTalk find nothing new, and each turn of the
     * lock waits for every other replica's write); the rest take the lock.
     */
    Map<String, Outcome> upsertUsers(Collection<DingTalkUser> read, Instant readAt) {
        Map<String, DingTalkUser> users = new LinkedHashMap<>();
        read.forEach(user -> users.put(user.userId(), user));
        if (users.isEmpty()) {
            return Map.of();
        }
        Instant at = micros(readAt);
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        confirmUnchanged(users.values(), at).forEach(userId -> {
            users.remove(userId);
            outcomes.put(userId, Outcome.CONFIRMED);
        });
        if (!users.isEmpty()) {
            outcomes.putAll(upsertUsersInTurn(users, at));
        }
        return outcomes;
    }

    /**
     * The userIds of those users whose stored details are what the read found and whose confirmation is older:
     * their confirmation moves to {@code at}. The condition is checked by the update itself, so a concurrent
     * write (which changes details or confirmation) makes it miss rather than be overwritten.
     */
    private List<String> confirmUnchanged(Collection<DingTalkUser> users, Instant at) {
        return Objects.requireNonNull(transactions.execute(status -> {
            List<DingTalkUser> candidates = List.copyOf(users);
            MapSqlParameterSource[] rows = candidates.stream()
                    .map(user -> new MapSqlParameterSource()
                            .addValue("id", user.userId())
                            .addValue("details", details(user))
                            .addValue("at", utc(at)))
                    .toArray(MapSqlParameterSource[]::new);
            int[] updated = batches.batchUpdate(
                    "UPDATE directory_user SET confirmed_at = :at "
                            + "WHERE user_id = :id AND details = :details AND confirmed_at < :at",
                    rows);
            List<String> confirmed = new ArrayList<>();
            for (int i = 0; i < updated.length; i++) {
                if (updated[i] == 1) {
                    confirmed.add(candidates.get(i).userId());
                }
            }
            channel.touched(jdbc, confirmed);
            return confirmed;
        }));
    }

    private Map<String, Outcome> upsertUsersInTurn(Map<String, DingTalkUser> users, Instant at) {
        return write(() -> {
            Map<String, Stored> stored = storedUsers(users.keySet());
            Map<String, Instant> removed = removedAt(USER, users.keySet());
            Instant now = clock.instant();
            Map<String, Outcome> outcomes = new LinkedHashMap<>();
            UserWrites writes = new UserWrites();
            for (DingTalkUser user : users.values()) {
                String details = details(user);
                Stored row = stored.get(user.userId());
                Instant gone = removed.get(user.userId());
                Outcome outcome;
                if (row != null ? !row.confirmedAt().isBefore(at) : gone != null && !gone.isBefore(at)) {
                    outcome = Outcome.OUTDATED;
                } else if (row != null && row.content().equals(details)) {
                    writes.unchanged.add(user.userId());
                    outcome = Outcome.CONFIRMED;
                } else {
                    outcome = row == null ? Outcome.ADDED : Outcome.MODIFIED;
                    writes.add(user, details, at, outcome, now);
                    if (gone != null) {
                        writes.removalsForgotten.add(user.userId());
                    }
                }
                outcomes.put(user.userId(), outcome);
            }
            writes.run(at);
            channel.touched(
                    jdbc,
                    outcomes.entrySet().stream()
                            .filter(outcome -> outcome.getValue() != Outcome.OUTDATED)
                            .map(Map.Entry::getKey)
                            .toList());
            return outcomes;
        });
    }

    /** The user is gone, as a read that started at {@code readAt} found. */
    Outcome removeUser(String userId, Instant readAt) {
        Instant at = micros(readAt);
        return write(() -> removeUserNow(userId, at, clock.instant()));
    }

    /** Departments as a read that started at {@code readAt} found them, by id. */
    Map<Long, Outcome> upsertDepartments(Collection<DingTalkDepartment> read, Instant readAt) {
        Map<Long, DingTalkDepartment> departments = new LinkedHashMap<>();
        read.forEach(department -> departments.put(department.id(), department));
        if (departments.isEmpty()) {
            return Map.of();
        }
        Instant at = micros(readAt);
        return write(() -> {
            Map<Long, StoredDepartment> stored = storedDepartments(departments.keySet());
            Map<String, Instant> removed = removedAt(
                    DEPARTMENT,
                    departments.keySet().stream().map(String::valueOf).toList());
            Instant now = clock.instant();
            Map<Long, Outcome> outcomes = new LinkedHashMap<>();
            for (DingTalkDepartment department : departments.values()) {
                StoredDepartment row = stored.get(department.id());
                Instant gone = removed.get(String.valueOf(department.id()));
                @Nullable Long parentId = parentOf(department);
                Outcome outcome;
                if (row != null ? !row.confirmedAt().isBefore(at) : gone != null && !gone.isBefore(at)) {
                    outcome = Outcome.OUTDATED;
                } else if (row != null
                        && row.name().equals(department.name())
                        && Objects.equals(row.parentId(), parentId)) {
                    jdbc.sql("UPDATE directory_department SET confirmed_at = :at WHERE id = :id")
                            .param("at", utc(at))
                            .param("id", department.id())
                            .update();
                    outcome = Outcome.CONFIRMED;
                } else {
                    outcome = row == null ? Outcome.ADDED : Outcome.MODIFIED;
                    jdbc.sql(
                                    row == null
                                            ? "INSERT INTO directory_department (id, parent_id, name, confirmed_at) "
                                                    + "VALUES (:id, :parentId, :name, :at)"
                                            : "UPDATE directory_department SET parent_id = :parentId, name = :name, "
                                                    + "confirmed_at = :at WHERE id = :id")
                            .param("id", department.id())
                            .param("parentId", parentId)
                            .param("name", department.name())
                            .param("at", utc(at))
                            .update();
                    if (gone != null) {
                        forgetRemoval(DEPARTMENT, String.valueOf(department.id()));
                    }
                    change(DEPARTMENT, String.valueOf(department.id()), outcome, now);
                }
                outcomes.put(department.id(), outcome);
            }
            return outcomes;
        });
    }

    /** The department is gone, as a read that started at {@code readAt} found; nobody is a member of it any more. */
    Outcome removeDepartment(long departmentId, Instant readAt) {
        Instant at = micros(readAt);
        return write(() -> removeDepartmentNow(departmentId, at, clock.instant()));
    }

    /**
     * Removes the users and departments that no read confirmed since {@code start}: a full sync that started
     * then, and read the whole organisation, did not find them. Joins the caller's mirror transaction.
     */
    Swept removeUnconfirmedSince(Instant start) {
        Instant at = micros(start);
        return write(() -> {
            Instant now = clock.instant();
            List<String> users = jdbc.sql("SELECT user_id FROM directory_user WHERE confirmed_at < :at")
                    .param("at", utc(at))
                    .query(String.class)
                    .list();
            users.forEach(userId -> removeUserNow(userId, at, now));
            List<Long> departments = jdbc.sql("SELECT id FROM directory_department WHERE confirmed_at < :at")
                    .param("at", utc(at))
                    .query(Long.class)
                    .list();
            departments.forEach(departmentId -> removeDepartmentNow(departmentId, at, now));
            return new Swept(users.size(), departments.size());
        });
    }

    /** Whether a stream event with this id was applied already (by any replica). */
    boolean eventSeen(String eventId) {
        return jdbc.sql("SELECT COUNT(*) FROM directory_event_seen WHERE event_id = :id")
                        .param("id", eventId)
                        .query(Long.class)
                        .single()
                > 0;
    }

    /**
     * Records a stream event as applied, and counts it in the fleet's figures, unless another replica recorded it
     * first: then false. Joins the caller's mirror transaction.
     */
    boolean recordEvent(String eventId, Instant at) {
        return write(() -> {
            if (eventSeen(eventId)) {
                return false;
            }
            jdbc.sql("INSERT INTO directory_event_seen (event_id, seen_at) VALUES (:id, :at)")
                    .param("id", eventId)
                    .param("at", utc(at))
                    .update();
            jdbc.sql("UPDATE directory_state SET last_event_at = :at, events_received = events_received + 1 "
                            + "WHERE id = 1")
                    .param("at", utc(at))
                    .update();
            return true;
        });
    }

    /** Forgets event ids and removals recorded before {@code before}. */
    int purge(Instant before) {
        return write(() -> jdbc.sql("DELETE FROM directory_event_seen WHERE seen_at < :before")
                        .param("before", utc(before))
                        .update()
                + jdbc.sql("DELETE FROM directory_removed WHERE confirmed_at < :before")
                        .param("before", utc(before))
                        .update());
    }

    private Outcome removeUserNow(String userId, Instant at, Instant now) {
        Instant confirmedAt = jdbc.sql("SELECT confirmed_at FROM directory_user WHERE user_id = :id")
                .param("id", userId)
                .query((row, number) -> instant(row, "confirmed_at"))
                .optional()
                .orElse(null);
        if (confirmedAt != null && !confirmedAt.isBefore(at)) {
            return Outcome.OUTDATED;
        }
        rememberRemoval(USER, userId, at);
        if (confirmedAt == null) {
            return Outcome.ABSENT;
        }
        jdbc.sql("DELETE FROM directory_user_department WHERE user_id = :id")
                .param("id", userId)
                .update();
        jdbc.sql("DELETE FROM directory_user WHERE user_id = :id")
                .param("id", userId)
                .update();
        change(USER, userId, Outcome.REMOVED, now);
        channel.touched(jdbc, List.of(userId));
        return Outcome.REMOVED;
    }

    private Outcome removeDepartmentNow(long departmentId, Instant at, Instant now) {
        Instant confirmedAt = jdbc.sql("SELECT confirmed_at FROM directory_department WHERE id = :id")
                .param("id", departmentId)
                .query((row, number) -> instant(row, "confirmed_at"))
                .optional()
                .orElse(null);
        if (confirmedAt != null && !confirmedAt.isBefore(at)) {
            return Outcome.OUTDATED;
        }
        rememberRemoval(DEPARTMENT, String.valueOf(departmentId), at);
        // DingTalk removes only an empty department; rows left naming it would list members of nothing.
        jdbc.sql("DELETE FROM directory_user_department WHERE department_id = :id")
                .param("id", departmentId)
                .update();
        if (confirmedAt == null) {
            return Outcome.ABSENT;
        }
        jdbc.sql("DELETE FROM directory_department WHERE id = :id")
                .param("id", departmentId)
                .update();
        change(DEPARTMENT, String.valueOf(departmentId), Outcome.REMOVED, now);
        return Outcome.REMOVED;
    }

    /**
     * The statements a page of users needs, sent in batches: a page of a first fill is a hundred users, their
     * memberships and their changes, which one at a time would keep the other writers waiting on the lock.
     */
    private final class UserWrites {

        private final List<String> unchanged = new ArrayList<>();
        private final List<MapSqlParameterSource> inserted = new ArrayList<>();
        private final List<MapSqlParameterSource> updated = new ArrayList<>();
        /** Users whose membership rows are written again: none are left over from before. */
        private final List<String> rewritten = new ArrayList<>();

        private final List<MapSqlParameterSource> memberships = new ArrayList<>();
        private final List<String> removalsForgotten = new ArrayList<>();
        private final List<MapSqlParameterSource> changes = new ArrayList<>();

        void add(DingTalkUser user, String details, Instant at, Outcome outcome, Instant now) {
            MapSqlParameterSource row = new MapSqlParameterSource()
                    .addValue("id", user.userId())
                    .addValue("name", user.name())
                    .addValue("nameKey", key(user.name()))
                    .addValue("jobNumberKey", key(user.jobNumber()), Types.VARCHAR)
                    .addValue("titleKey", key(user.title()), Types.VARCHAR)
                    .addValue("active", user.active(), Types.BOOLEAN)
                    .addValue("details", details)
                    .addValue("at", utc(at));
            (outcome == Outcome.ADDED ? inserted : updated).add(row);
            rewritten.add(user.userId());
            for (Long departmentId : new LinkedHashSet<>(user.departmentIds())) {
                memberships.add(new MapSqlParameterSource()
                        .addValue("id", user.userId())
                        .addValue("departmentId", departmentId));
            }
            changes.add(changeRow(USER, user.userId(), outcome, now));
        }

        void run(Instant at) {
            if (!unchanged.isEmpty()) {
                jdbc.sql("UPDATE directory_user SET confirmed_at = :at WHERE user_id IN (:ids)")
                        .param("at", utc(at))
                        .param("ids", unchanged)
                        .update();
            }
            batch(
                    "INSERT INTO directory_user (user_id, name, name_key, job_number_key, title_key, active, details, "
                            + "confirmed_at) VALUES (:id, :name, :nameKey, :jobNumberKey, :titleKey, :active, "
                            + ":details, :at)",
                    inserted);
            batch(
                    "UPDATE directory_user SET name = :name, name_key = :nameKey, job_number_key = :jobNumberKey, "
                            + "title_key = :titleKey, active = :active, details = :details, confirmed_at = :at "
                            + "WHERE user_id = :id",
                    updated);
            if (!rewritten.isEmpty()) {
                jdbc.sql("DELETE FROM directory_user_department WHERE user_id IN (:ids)")
                        .param("ids", rewritten)
                        .update();
            }
            batch(
                    "INSERT INTO directory_user_department (user_id, department_id) VALUES (:id, :departmentId)",
                    memberships);
            if (!removalsForgotten.isEmpty()) {
                jdbc.sql("DELETE FROM directory_removed WHERE kind = :kind AND id IN (:ids)")
                        .param("kind", USER)
                        .param("ids", removalsForgotten)
                        .update();
            }
            batch(CHANGE, changes);
        }

        private void batch(String sql, List<MapSqlParameterSource> rows) {
            if (!rows.isEmpty()) {
                batches.batchUpdate(sql, rows.toArray(MapSqlParameterSource[]::new));
            }
        }
    }

    /** The user as the mirror keeps them: without mobile and e-mail unless the settings ask for them. */
    private String details(DingTalkUser user) {
        DingTalkUser kept = storeContactFields
                ? user
                : new DingTalkUser(
                        user.userId(),
                        user.unionId(),
                        user.name(),
                        null,
                        null,
                        user.title(),
                        user.jobNumber(),
                        user.departmentIds(),
                        user.leaderInDepartments(),
                        user.roles(),
                        user.managerUserId(),
                        user.exclusiveAccount(),
                        user.loginId(),
                        user.active());
        return json.writeValueAsString(kept);
    }

    private void change(String kind, String id, Outcome outcome, Instant now) {
        batches.update(CHANGE, changeRow(kind, id, outcome, now));
    }

    private static MapSqlParameterSource changeRow(String kind, String id, Outcome outcome, Instant now) {
        return new MapSqlParameterSource()
                .addValue("kind", kind)
                .addValue("id", id)
                .addValue("change", outcome.name().toLowerCase(Locale.ROOT))
                .addValue("at", utc(now));
    }

    private void rememberRemoval(String kind, String id, Instant at) {
        Instant known = removedAt(kind, List.of(id)).get(id);
        if (known == null) {
            jdbc.sql("INSERT INTO directory_removed (kind, id, confirmed_at) VALUES (:kind, :id, :at)")
                    .param("kind", kind)
                    .param("id", id)
                    .param("at", utc(at))
                    .update();
        } else if (known.isBefore(at)) {
            jdbc.sql("UPDATE directory_removed SET confirmed_at = :at WHERE kind = :kind AND id = :id")
                    .param("kind", kind)
                    .param("id", id)
                    .param("at", utc(at))
                    .update();
        }
    }

    private void forgetRemoval(String kind, String id) {
        jdbc.sql("DELETE FROM directory_removed WHERE kind = :kind AND id = :id")
                .param("kind", kind)
                .param("id", id)
                .update();
    }

    private Map<String, Instant> removedAt(String kind, Collection<String> ids) {
        Map<String, Instant> removed = new LinkedHashMap<>();
        jdbc.sql("SELECT id, confirmed_at FROM directory_removed WHERE kind = :kind AND id IN (:ids)")
                .param("kind", kind)
                .param("ids", ids)
                .query(row -> {
                    removed.put(row.getString("id"), Objects.requireNonNull(instant(row, "confirmed_at")));
                });
        return removed;
    }

    private Map<String, Stored> storedUsers(Collection<String> userIds) {
        Map<String, Stored> stored = new LinkedHashMap<>();
        jdbc.sql("SELECT user_id, details, confirmed_at FROM directory_user WHERE user_id IN (:ids)")
                .param("ids", userIds)
                .query(row -> {
                    stored.put(
                            row.getString("user_id"),
                            new Stored(row.getString("details"), Objects.requireNonNull(instant(row, "confirmed_at"))));
                });
        return stored;
    }

    private Map<Long, StoredDepartment> storedDepartments(Collection<Long> departmentIds) {
        Map<Long, StoredDepartment> stored = new LinkedHashMap<>();
        jdbc.sql("SELECT id, parent_id, name, confirmed_at FROM directory_department WHERE id IN (:ids)")
                .param("ids", departmentIds)
                .query(row -> {
                    stored.put(
                            row.getLong("id"),
                            new StoredDepartment(
                                    row.getObject("parent_id", Long.class),
                                    row.getString("name"),
                                    Objects.requireNonNull(instant(row, "confirmed_at"))));
                });
        return stored;
    }

    /** The root has no parent; DingTalk reports none (0) for it. */
    private static @Nullable Long parentOf(DingTalkDepartment department) {
        return department.id() == ROOT || department.parentId() <= 0 ? null : department.parentId();
    }

    private static @Nullable String key(@Nullable String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }

    /** @param content the user's details as stored: equal text, equal user */
    private record Stored(String content, Instant confirmedAt) {}

    private record StoredDepartment(@Nullable Long parentId, String name, Instant confirmedAt) {}
}
