package dev.dinggate.directory;

import dev.dinggate.dingtalk.stream.DingTalkEvent;
import dev.dinggate.support.ProductionGatewayTest;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * The production gateway with the directory mirror on, on PostgreSQL, and DingTalk's Contacts APIs in WireMock.
 * The schedule's own looks are an hour apart, so nothing reads DingTalk but what a test runs; each test starts
 * with an empty mirror.
 */
@TestPropertySource(
        properties = {
            "gateway.directory.enabled=true",
            "gateway.directory.check-interval=1h",
            "gateway.directory.page-size=" + DirectoryGatewayTest.PAGE_SIZE,
            // Held answers (HeldAnswers) outlast the usual response timeout of the tests.
            "dingtalk.timeout.response=50s"
        })
abstract class DirectoryGatewayTest extends ProductionGatewayTest {

    static final int PAGE_SIZE = 2;

    @Autowired
    protected JdbcClient jdbc;

    @BeforeEach
    void emptyMirror() {
        for (String table : List.of(
                "directory_user_department",
                "directory_user",
                "directory_department",
                "directory_change",
                "directory_event_seen",
                "directory_removed")) {
            jdbc.sql("DELETE FROM " + table).update();
        }
        jdbc.sql("UPDATE directory_state SET full_sync_started_at = NULL, last_full_sync_at = NULL, "
                        + "full_sync_failures = 0, last_event_at = NULL, events_received = 0, claimed_by = NULL, "
                        + "claimed_until = NULL WHERE id = 1")
                .update();
    }

    static WireMockOrg acme() {
        return WireMockOrg.acme(dingTalk, PAGE_SIZE);
    }

    static DingTalkEvent event(String eventId, String type, String data) {
        return new DingTalkEvent(eventId, type, "corp-acme", Instant.now(), data);
    }

    List<String> userIds() {
        return jdbc.sql("SELECT user_id FROM directory_user ORDER BY user_id")
                .query(String.class)
                .list();
    }

    @Nullable
    String name(String userId) {
        return jdbc.sql("SELECT name FROM directory_user WHERE user_id = :id")
                .param("id", userId)
                .query(String.class)
                .optional()
                .orElse(null);
    }

    List<Long> memberships(String userId) {
        return jdbc.sql(
                        "SELECT department_id FROM directory_user_department WHERE user_id = :id ORDER BY department_id")
                .param("id", userId)
                .query(Long.class)
                .list();
    }

    List<String> departments() {
        return jdbc.sql("SELECT id, parent_id, name FROM directory_department ORDER BY id")
                .query((row, number) ->
                        row.getLong("id") + " " + row.getObject("parent_id") + " " + row.getString("name"))
                .list();
    }

    List<String> changes() {
        return jdbc.sql("SELECT kind, id, change FROM directory_change ORDER BY seq")
                .query((row, number) ->
                        row.getString("kind") + " " + row.getString("id") + " " + row.getString("change"))
                .list();
    }

    @Nullable
    Instant stateColumn(String column) {
        return jdbc.sql("SELECT " + column + " FROM directory_state WHERE id = 1")
                .query((row, number) -> Timestamps.instant(row, column))
                .list()
                .getFirst();
    }
}
