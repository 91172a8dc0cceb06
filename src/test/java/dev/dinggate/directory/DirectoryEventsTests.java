package dev.dinggate.directory;

import static dev.dinggate.directory.WireMockOrg.DEPARTMENT_GET;
import static dev.dinggate.directory.WireMockOrg.USER_GET;
import static dev.dinggate.directory.WireMockOrg.userJson;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.dingtalk.DingTalkUser;
import dev.dinggate.dingtalk.stream.DingTalkEventListener;
import dev.dinggate.dingtalk.stream.DingTalkEventListener.Acknowledgement;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * DingTalk's contact events, handed to the listener as the stream client would: each is read again from DingTalk
 * (WireMock) and the answer written, once per event id, whatever order the events come in.
 */
class DirectoryEventsTests extends DirectoryGatewayTest {

    private static final String USER_NOT_FOUND = "{\"errcode\":60121,\"errmsg\":\"找不到该用户\"}";
    private static final String DEPARTMENT_NOT_FOUND = "{\"errcode\":60003,\"errmsg\":\"部门不存在\"}";
    private static final String BUSY = "{\"errcode\":-1,\"errmsg\":\"系统繁忙\"}";

    @Autowired
    DingTalkEventListener events;

    @Autowired
    MirrorWriteThrough writeThrough;

    @Autowired
    MirrorStatus status;

    @Autowired
    MeterRegistry meters;

    @Test
    void eachUserEventReadsTheUserAgainAndWritesWhatDingTalkAnswers() {
        WireMockOrg org = new WireMockOrg(dingTalk, PAGE_SIZE);
        double applied = events("applied");

        org.answerUserGet("u1", found(userJson("u1", "Li Si", 2L, 3L)));
        assertThat(events.onEvent(event("ev-1", "user_add_org", "{\"userId\":[\"u1\"],\"optStaffId\":\"x\"}")))
                .isEqualTo(Acknowledgement.SUCCESS);
        assertThat(name("u1")).isEqualTo("Li Si");
        assertThat(memberships("u1")).containsExactly(2L, 3L);

        org.answerUserGet("u1", found(userJson("u1", "Li Si", 3L)));
        assertThat(events.onEvent(event("ev-2", "user_modify_org", "{\"userId\":[\"u1\"]}")))
                .isEqualTo(Acknowledgement.SUCCESS);
        assertThat(memberships("u1")).containsExactly(3L);

        assertThat(events.onEvent(event("ev-3", "user_active_org", "{\"userId\":\"u1\"}")))
                .isEqualTo(Acknowledgement.SUCCESS);

        org.answerUserGet("u1", USER_NOT_FOUND);
        assertThat(events.onEvent(event("ev-4", "user_leave_org", "{\"userId\":[\"u1\"]}")))
                .isEqualTo(Acknowledgement.SUCCESS);
        assertThat(userIds()).isEmpty();
        assertThat(memberships("u1")).isEmpty();

        assertThat(org.requests(USER_GET)).isEqualTo(4);
        // user_active_org found nothing new: no change recorded for it.
        assertThat(changes()).containsExactly("user u1 added", "user u1 modified", "user u1 removed");
        assertThat(events("applied")).isEqualTo(applied + 4);
        DirectoryStatus now = status.status();
        assertThat(now.eventsReceived()).isEqualTo(4);
        assertThat(now.lastEventAt()).isNotNull();
        assertThat(now.state()).as("no full sync has completed yet").isEqualTo("filling");
    }

    @Test
    void eachDepartmentEventReadsTheDepartmentAgainAndARemovedOneTakesItsMembershipsAlong() {
        WireMockOrg org = new WireMockOrg(dingTalk, PAGE_SIZE);
        org.answerUserGet("u1", found(userJson("u1", "Li Si", 2L, 7L)));
        events.onEvent(event("ev-u", "user_add_org", "{\"userId\":[\"u1\"]}"));

        org.answerDepartmentGet(7, "{\"errcode\":0,\"result\":{\"dept_id\":7,\"name\":\"Legal\",\"parent_id\":1}}");
        assertThat(events.onEvent(event("ev-1", "org_dept_create", "{\"deptId\":[7]}")))
                .isEqualTo(Acknowledgement.SUCCESS);
        assertThat(departments()).containsExactly("7 1 Legal");

        org.answerDepartmentGet(7, "{\"errcode\":0,\"result\":{\"dept_id\":7,\"name\":\"Legal\",\"parent_id\":2}}");
        assertThat(events.onEvent(event("ev-2", "org_dept_modify", "{\"deptId\":[\"7\"]}")))
                .isEqualTo(Acknowledgement.SUCCESS);
        assertThat(departments()).containsExactly("7 2 Legal");

        org.answerDepartmentGet(7, DEPARTMENT_NOT_FOUND);
        assertThat(events.onEvent(event("ev-3", "org_dept_remove", "{\"deptId\":[7]}")))
                .isEqualTo(Acknowledgement.SUCCESS);
        assertThat(departments()).isEmpty();
        assertThat(memberships("u1")).containsExactly(2L);

        assertThat(org.requests(DEPARTMENT_GET)).isEqualTo(3);
        assertThat(changes())
                .containsExactly(
                        "user u1 added", "department 7 added", "department 7 modified", "department 7 removed");
    }

    @Test
    void anEventDeliveredTwiceIsReadAndCountedOnce() {
        WireMockOrg org = new WireMockOrg(dingTalk, PAGE_SIZE);
        org.answerUserGet("u1", found(userJson("u1", "Li Si", 2L)));
        double duplicates = events("duplicate");

        assertThat(events.onEvent(event("ev-twice", "user_add_org", "{\"userId\":[\"u1\"]}")))
                .isEqualTo(Acknowledgement.SUCCESS);
        assertThat(events.onEvent(event("ev-twice", "user_add_org", "{\"userId\":[\"u1\"]}")))
                .isEqualTo(Acknowledgement.SUCCESS);

        assertThat(org.requests(USER_GET)).isEqualTo(1);
        assertThat(changes()).containsExactly("user u1 added");
        assertThat(status.status().eventsReceived()).isEqualTo(1);
        assertThat(events("duplicate")).isEqualTo(duplicates + 1);
    }

    @Test
    void eventsThatArriveOutOfOrderEndInDingTalksState() {
        WireMockOrg org = new WireMockOrg(dingTalk, PAGE_SIZE);
        // u1 joined, was renamed, and left; the events come last to first.
        org.answerUserGet("u1", USER_NOT_FOUND);
        events.onEvent(event("ev-3", "user_leave_org", "{\"userId\":[\"u1\"]}"));
        events.onEvent(event("ev-2", "user_modify_org", "{\"userId\":[\"u1\"]}"));
        events.onEvent(event("ev-1", "user_add_org", "{\"userId\":[\"u1\"]}"));
        assertThat(userIds()).isEmpty();

        // u2 joined and was renamed: the join arrives after the rename, and the rename is not undone.
        org.answerUserGet("u2", found(userJson("u2", "Renamed", 2L)));
        events.onEvent(event("ev-5", "user_modify_org", "{\"userId\":[\"u2\"]}"));
        events.onEvent(event("ev-4", "user_add_org", "{\"userId\":[\"u2\"]}"));
        assertThat(name("u2")).isEqualTo("Renamed");

        assertThat(changes()).containsExactly("user u2 added");
    }

    @Test
    void anEventDingTalkCannotBeAskedAboutNowIsLeftForDingTalkToDeliverAgain() {
        WireMockOrg org = new WireMockOrg(dingTalk, PAGE_SIZE);
        org.answerUserGet("u1", BUSY);
        double later = events("later");

        assertThat(events.onEvent(event("ev-busy", "user_add_org", "{\"userId\":[\"u1\"]}")))
                .isEqualTo(Acknowledgement.LATER);
        org.answerUserGet("u1", "{\"errcode\":90018,\"errmsg\":\"too fast\"}");
        assertThat(events.onEvent(event("ev-busy", "user_add_org", "{\"userId\":[\"u1\"]}")))
                .isEqualTo(Acknowledgement.LATER);
        assertThat(userIds()).isEmpty();
        assertThat(events("later")).isEqualTo(later + 2);

        org.answerUserGet("u1", found(userJson("u1", "Li Si", 2L)));
        assertThat(events.onEvent(event("ev-busy", "user_add_org", "{\"userId\":[\"u1\"]}")))
                .isEqualTo(Acknowledgement.SUCCESS);
        assertThat(userIds()).containsExactly("u1");
    }

    @Test
    void oneEventMayNameSeveralUsersAndAllAreWrittenOrNone() {
        WireMockOrg org = new WireMockOrg(dingTalk, PAGE_SIZE);
        org.answerUserGet("u1", found(userJson("u1", "One", 2L)));
        org.answerUserGet("u2", BUSY);

        assertThat(events.onEvent(event("ev-many", "user_modify_org", "{\"userId\":[\"u1\",\"u2\"]}")))
                .isEqualTo(Acknowledgement.LATER);
        assertThat(userIds()).isEmpty();

        org.answerUserGet("u2", found(userJson("u2", "Two", 2L)));
        assertThat(events.onEvent(event("ev-many", "user_modify_org", "{\"userId\":[\"u1\",\"u2\"]}")))
                .isEqualTo(Acknowledgement.SUCCESS);
        assertThat(userIds()).containsExactly("u1", "u2");
    }

    @Test
    void eventsOfOtherKindsOrWithoutIdsAreAcknowledgedWithoutAReadOfDingTalk() {
        double ignored = events("ignored");

        assertThat(events.onEvent(event("ev-a", "org_admin_add", "{\"userId\":[\"u1\"]}")))
                .isEqualTo(Acknowledgement.SUCCESS);
        assertThat(events.onEvent(event("ev-b", "user_add_org", "not json"))).isEqualTo(Acknowledgement.SUCCESS);
        assertThat(events.onEvent(event("ev-c", "org_dept_create", "{\"deptId\":[\"sales\"],\"other\":{}}")))
                .isEqualTo(Acknowledgement.SUCCESS);

        assertThat(dingTalkCalls()).isZero();
        assertThat(events("ignored")).isEqualTo(ignored + 3);
        assertThat(status.status().eventsReceived()).isZero();
    }

    @Test
    void theGatewaysOwnChangesAreWrittenThroughWithoutReadingDingTalk() {
        DingTalkUser created = new DingTalkUser(
                "u9",
                null,
                "New Hire",
                "+86-13900001111",
                "new.hire@example.com",
                "Analyst",
                "E-9",
                List.of(2L),
                List.of(),
                List.of(),
                null,
                false,
                null,
                true);

        writeThrough.userWritten(created);
        assertThat(name("u9")).isEqualTo("New Hire");
        assertThat(memberships("u9")).containsExactly(2L);
        assertThat(jdbc.sql("SELECT details FROM directory_user WHERE user_id = 'u9'")
                        .query(String.class)
                        .single())
                .doesNotContain("13900001111", "new.hire@example.com");

        writeThrough.userRemoved("u9");
        assertThat(userIds()).isEmpty();
        assertThat(dingTalkCalls()).isZero();
        assertThat(changes()).containsExactly("user u9 added", "user u9 removed");
    }

    private double events(String outcome) {
        return meters.get("gateway.directory.events")
                .tag("outcome", outcome)
                .counter()
                .count();
    }

    private static String found(String user) {
        return "{\"errcode\":0,\"result\":" + user + "}";
    }
}
