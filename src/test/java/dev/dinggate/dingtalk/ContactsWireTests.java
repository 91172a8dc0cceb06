package dev.dinggate.dingtalk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.dingtalk.ContactsWire.CreateRequest;
import dev.dinggate.dingtalk.ContactsWire.ListIdRequest;
import dev.dinggate.dingtalk.ContactsWire.ListIdResult;
import dev.dinggate.dingtalk.ContactsWire.ListSubRequest;
import dev.dinggate.dingtalk.ContactsWire.SubDepartment;
import dev.dinggate.dingtalk.ContactsWire.UnionIdResult;
import dev.dinggate.dingtalk.ContactsWire.UpdateRequest;
import dev.dinggate.dingtalk.ContactsWire.UserGetRequest;
import dev.dinggate.dingtalk.ContactsWire.UserGetResult;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The Contacts and Enterprise Account wire records against the JSON DingTalk documents. */
class ContactsWireTests {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void createLeavesOutWhatIsNotGivenAndSendsDepartmentsAsText() {
        NewDingTalkUser user =
                new NewDingTalkUser("Li Lei", "+86-13800000000", List.of(1L, 23L), null, "Engineer", null, "E01");

        assertThat(json.writeValueAsString(CreateRequest.of(user)))
                .isEqualTo("{\"name\":\"Li Lei\",\"mobile\":\"+86-13800000000\",\"dept_id_list\":\"1,23\","
                        + "\"title\":\"Engineer\",\"job_number\":\"E01\"}");
    }

    @Test
    void updateSendsOnlyTheChangesAndClearsTheManagerByForceUpdate() {
        DingTalkUserChanges changes = new DingTalkUserChanges(null, "Lead", null, null, List.of(5L), null, true);

        assertThat(json.writeValueAsString(UpdateRequest.of("u1", changes)))
                .isEqualTo("{\"userid\":\"u1\",\"title\":\"Lead\",\"dept_id_list\":\"5\","
                        + "\"force_update_fields\":\"manager_userid\"}");
        assertThat(json.writeValueAsString(
                        UpdateRequest.of("u1", new DingTalkUserChanges(null, null, null, null, null, "boss", false))))
                .isEqualTo("{\"userid\":\"u1\",\"manager_userid\":\"boss\"}");
    }

    @Test
    void readsSendDepartmentIdsAsNumbers() {
        assertThat(json.writeValueAsString(new ListSubRequest(7, ContactsWire.LANGUAGE)))
                .isEqualTo("{\"dept_id\":7,\"language\":\"en_US\"}");
        assertThat(json.writeValueAsString(new ListIdRequest(7))).isEqualTo("{\"dept_id\":7}");
        assertThat(json.writeValueAsString(new UserGetRequest("u1", ContactsWire.LANGUAGE)))
                .isEqualTo("{\"userid\":\"u1\",\"language\":\"en_US\"}");
    }

    @Test
    void userGetResultBecomesTheUserWithLeadershipAndRoleNames() {
        UserGetResult result = json.readValue("""
                {"userid":"u1","unionid":"un1","name":"Li Lei","mobile":"13800000000","title":"Engineer",
                 "job_number":"E01","dept_id_list":[1,"23"],
                 "leader_in_dept":[{"dept_id":1,"leader":false},{"dept_id":23,"leader":true}],
                 "role_list":[{"id":9,"name":"Admin","group_name":"Default"},{"id":10}],
                 "manager_userid":"boss","exclusive_account":true,"login_id":"lilei","active":true,
                 "hired_date":1597573616828,"dept_order_list":[{"dept_id":1,"order":1}]}
                """, UserGetResult.class);

        assertThat(result.toUser("u1"))
                .isEqualTo(new DingTalkUser(
                        "u1",
                        "un1",
                        "Li Lei",
                        "13800000000",
                        null,
                        "Engineer",
                        "E01",
                        List.of(1L, 23L),
                        List.of(23L),
                        List.of("Admin", ""),
                        "boss",
                        true,
                        "lilei",
                        true));
    }

    @Test
    void sparseUserGetResultGivesEmptyListsAndNoActiveFlag() {
        UserGetResult result = json.readValue("{\"userid\":\"u1\"}", UserGetResult.class);

        assertThat(result.toUser("u1"))
                .isEqualTo(new DingTalkUser(
                        "u1", null, "", null, null, null, null, List.of(), List.of(), List.of(), null, false, null,
                        null));
    }

    @Test
    void contactTypeOneIsAnExternalContactWhetherANumberOrText() {
        assertThat(json.readValue("{\"userid\":\"u1\",\"contact_type\":1}", UnionIdResult.class)
                        .external())
                .isTrue();
        assertThat(json.readValue("{\"userid\":\"u1\",\"contact_type\":\"1\"}", UnionIdResult.class)
                        .external())
                .isTrue();
        assertThat(json.readValue("{\"userid\":\"u1\",\"contact_type\":0}", UnionIdResult.class)
                        .external())
                .isFalse();
        assertThat(json.readValue("{\"userid\":\"u1\"}", UnionIdResult.class).external())
                .isFalse();
    }

    @Test
    void listResultsReadDepartmentsAndUserIds() {
        SubDepartment[] departments = json.readValue(
                "[{\"dept_id\":2,\"name\":\"R&D\",\"parent_id\":1,\"auto_add_user\":true}]", SubDepartment[].class);
        ListIdResult members = json.readValue("{\"userid_list\":[\"u1\",2]}", ListIdResult.class);

        assertThat(departments[0].toDepartment()).isEqualTo(new DingTalkDepartment(2, "R&D", 1));
        assertThat(members.useridList()).containsExactly("u1", "2");
    }

    @Test
    void enterpriseAccountChangesAreWrittenInDingTalksCamelCase() {
        assertThat(json.writeValueAsString(new DingTalkOrgAccounts.DingTalkIdChange("u1", "abc123")))
                .isEqualTo("{\"userId\":\"u1\",\"dingTalkId\":\"abc123\"}");
        assertThat(json.writeValueAsString(
                        new DingTalkOrgAccounts.VisibilityChange(List.of("ding1"), "u1", List.of("mobile", "status"))))
                .isEqualTo("{\"toCorpIds\":[\"ding1\"],\"optUserId\":\"u1\",\"fields\":[\"mobile\",\"status\"]}");
    }
}
