package dev.dinggate.directory;

import dev.dinggate.dingtalk.DingTalkUser;
import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.problem.GatewayProblemException;
import dev.dinggate.security.QuotaFreeAnswers;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads of the mirror: what the directory routes and the contact routes answer without calling DingTalk. Every
 * query here is a read of the gateway's own database; none spends DingTalk quota.
 */
@Component
public class DirectoryReads implements QuotaFreeAnswers {

    /** Changes per answer of the change feed. */
    static final int CHANGES_PER_PAGE = 500;

    private static final long ROOT = 1;
    private static final Duration FILLING_RETRY = Duration.ofSeconds(30);

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final DirectoryProperties properties;
    private final MirrorReadCache cache;
    /** Once complete, the mirror stays complete (a full sync never un-completes): asked on every read. */
    private volatile boolean completeSeen;

    DirectoryReads(JdbcClient jdbc, JsonMapper json, DirectoryProperties properties, MirrorReadCache cache) {
        this.jdbc = jdbc;
        this.json = json;
        this.properties = properties;
        this.cache = cache;
    }

    /**
     * Whether the mirror holds the whole organisation, so that a department or user it lacks does not exist:
     * the directory is on and a full sync has completed at least once.
     */
    public boolean complete() {
        if (!properties.enabled()) {
            return false;
        }
        if (completeSeen) {
            return true;
        }
        completeSeen = jdbc.sql("SELECT last_full_sync_at FROM directory_state WHERE id = 1")
                .query((row, n) -> instant(row, "last_full_sync_at"))
                .optional()
                .flatMap(Optional::ofNullable)
                .isPresent();
        return completeSeen;
    }

    /** Quota-free routes answer from the mirror once it is complete. */
    @Override
    public boolean available() {
        return complete();
    }

    /** The mirrored user, when the directory is on and holds them; from memory when the read cache is live. */
    public Optional<UserDetails> user(String userId) {
        if (!properties.enabled()) {
            return Optional.empty();
        }
        return cache.user(userId, this::storedUser);
    }

    private Optional<UserDetails> storedUser(String userId) {
        return jdbc.sql("SELECT details, confirmed_at FROM directory_user WHERE user_id = ?")
                .param(userId)
                .query((row, n) -> details(row))
                .optional();
    }

    /** The mirrored user as DingTalk described them (for writing a change through), when the mirror holds them. */
    public Optional<DingTalkUser> mirrored(String userId) {
        if (!properties.enabled()) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT details FROM directory_user WHERE user_id = ?")
                .param(userId)
                .query((row, n) -> json.readValue(row.getString("details"), DingTalkUser.class))
                .optional();
    }

    /** Every department below {@code departmentId} (not itself), at any depth; empty when it has none. */
    public List<MirroredDepartment> departmentsBelow(long departmentId) {
        return jdbc.sql("""
                        WITH RECURSIVE below(id, name, parent_id) AS (
                            SELECT id, name, parent_id FROM directory_department WHERE parent_id = ?
                            UNION ALL
                            SELECT d.id, d.name, d.parent_id FROM directory_department d JOIN below b ON d.parent_id = b.id
                        )
                        SELECT id, name, parent_id FROM below ORDER BY id
                        """)
                .param(departmentId)
                .query((row, n) ->
                        new MirroredDepartment(row.getLong("id"), row.getString("name"), row.getLong("parent_id")))
                .list();
    }

    /** Whether the mirror holds this department (the root always counts). */
    public boolean hasDepartment(long departmentId) {
        return departmentId == ROOT
                || jdbc.sql("SELECT COUNT(*) FROM directory_department WHERE id = ?")
                                .param(departmentId)
                                .query(Long.class)
                                .single()
                        > 0;
    }

    /** The userIds of every member of {@code departmentId} and the departments below it, each once, sorted. */
    public List<String> userIdsBelow(long departmentId) {
        if (departmentId == ROOT) {
            return jdbc.sql("SELECT user_id FROM directory_user ORDER BY user_id")
                    .query(String.class)
                    .list();
        }
        List<Long> departments = withDescendants(departmentId);
        return jdbc.sql("SELECT DISTINCT user_id FROM directory_user_department WHERE department_id IN (:departments)"
                        + " ORDER BY user_id")
                .param("departments", departments)
                .query(String.class)
                .list();
    }

    /** A page of users, in name order (then userId), from where the cursor says the last page ended. */
    public UserSearchPage search(UserSearch search) {
        requireComplete();
        StringBuilder sql = new StringBuilder(
                "SELECT user_id, name_key, details, confirmed_at FROM directory_user u" + " WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (search.q() != null && !search.q().isBlank()) {
            String prefix = likeEscaped(search.q().strip().toLowerCase(Locale.ROOT)) + "%";
            sql.append(" AND (u.name_key LIKE ? ESCAPE '\\' OR u.job_number_key LIKE ? ESCAPE '\\'"
                    + " OR u.title_key LIKE ? ESCAPE '\\')");
            params.addAll(List.of(prefix, prefix, prefix));
        }
        if (search.departmentId() != null) {
            List<Long> departments =
                    search.belowToo() ? withDescendants(search.departmentId()) : List.of(search.departmentId());
            sql.append(
                            " AND u.user_id IN (SELECT m.user_id FROM directory_user_department m WHERE m.department_id IN (")
                    .append(String.join(
                            ", ", departments.stream().map(id -> "?").toList()))
                    .append("))");
            params.addAll(departments);
        }
        if (search.active() != null) {
            sql.append(" AND u.active = ?");
            params.add(search.active());
        }
        if (search.cursor() != null) {
            DirectoryCursors.SearchPosition after = DirectoryCursors.search(search.cursor());
            sql.append(" AND (u.name_key > ? OR (u.name_key = ? AND u.user_id > ?))");
            params.addAll(List.of(after.nameKey(), after.nameKey(), after.userId()));
        }
        sql.append(" ORDER BY u.name_key, u.user_id LIMIT ?");
        params.add(search.pageSize() + 1);
        List<Found> found = jdbc.sql(sql.toString())
                .params(params)
                .query((row, n) -> new Found(row.getString("name_key"), details(row)))
                .list();
        boolean more = found.size() > search.pageSize();
        List<Found> page = more ? found.subList(0, search.pageSize()) : found;
        String next = null;
        if (more) {
            Found last = page.getLast();
            next = DirectoryCursors.search(new DirectoryCursors.SearchPosition(
                    last.nameKey(), last.user().userId()));
        }
        Instant asOf = page.stream()
                .map(entry -> entry.user().asOf())
                .min(Comparator.naturalOrder())
                .orElseGet(this::lastConfirmed);
        return new UserSearchPage(page.stream().map(Found::user).toList(), next, asOf);
    }

    /**
     * The changes after the cursor {@code since}, oldest first; without {@code since}, none and the cursor of the
     * newest change, to start from.
     */
    public ChangeFeed changes(@Nullable String since) {
        requireComplete();
        if (since == null) {
            long newest = jdbc.sql("SELECT COALESCE(MAX(seq), 0) FROM directory_change")
                    .query(Long.class)
                    .single();
            return new ChangeFeed(List.of(), DirectoryCursors.changes(newest));
        }
        long after = DirectoryCursors.changes(since);
        List<Sequenced> changes = jdbc.sql(
                        "SELECT seq, kind, id, change, at FROM directory_change WHERE seq > ? ORDER BY seq LIMIT ?")
                .param(after)
                .param(CHANGES_PER_PAGE)
                .query((row, n) -> new Sequenced(
                        row.getLong("seq"),
                        new DirectoryChange(
                                row.getString("kind"),
                                row.getString("id"),
                                row.getString("change"),
                                Objects.requireNonNull(instant(row, "at")))))
                .list();
        long next = changes.isEmpty() ? after : changes.getLast().seq();
        return new ChangeFeed(changes.stream().map(Sequenced::change).toList(), DirectoryCursors.changes(next));
    }

    private void requireComplete() {
        if (!complete()) {
            throw properties.enabled()
                    ? new GatewayProblemException(
                            GatewayProblem.DIRECTORY_NOT_READY,
                            "The directory mirror is still filling (its first full sync has not completed).",
                            null,
                            FILLING_RETRY)
                    : new GatewayProblemException(
                            GatewayProblem.DIRECTORY_NOT_READY,
                            "The directory mirror is switched off (gateway.directory.enabled=false).");
        }
    }

    private List<Long> withDescendants(long departmentId) {
        List<Long> ids = new ArrayList<>();
        ids.add(departmentId);
        departmentsBelow(departmentId).forEach(department -> ids.add(department.id()));
        return ids;
    }

    private Instant lastConfirmed() {
        return jdbc.sql("SELECT last_full_sync_at, last_event_at FROM directory_state WHERE id = 1")
                .query((row, n) ->
                        DirectoryState.lastConfirmed(instant(row, "last_full_sync_at"), instant(row, "last_event_at")))
                .single();
    }

    private UserDetails details(ResultSet row) throws SQLException {
        DingTalkUser user = json.readValue(row.getString("details"), DingTalkUser.class);
        return UserDetails.from(
                user, Objects.requireNonNull(instant(row, "confirmed_at")), properties.storeContactFields());
    }

    private static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static @Nullable Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private record Found(String nameKey, UserDetails user) {}

    private record Sequenced(long seq, DirectoryChange change) {}
}
