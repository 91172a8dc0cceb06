package dev.dinggate.dingtalk;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * DingTalk's Contacts wire format ({@code oapi.} host, {@code /topapi/...}): a record per request body and
 * per answer's {@code result}, in DingTalk's snake_case. Requests leave out null fields, which DingTalk reads
 * as "not given" (an update leaves them unchanged). Every field of an answer may be missing.
 */
final class ContactsWire {

    /** Names (departments, roles) come back in English. */
    static final String LANGUAGE = "en_US";

    private ContactsWire() {}

    record UserGetRequest(String userid, String language) {}

    record UnionIdRequest(String unionid) {}

    record MobileRequest(String mobile) {}

    record ListSubRequest(@JsonProperty("dept_id") long deptId, String language) {}

    record ListIdRequest(@JsonProperty("dept_id") long deptId) {}

    record DeleteRequest(String userid) {}

    /** {@code topapi/v2/user/list}: one page of the users directly in a department. */
    record UserListRequest(@JsonProperty("dept_id") long deptId, long cursor, int size, String language) {}

    record DepartmentGetRequest(@JsonProperty("dept_id") long deptId, String language) {}

    /** @param deptIdList the department ids, comma-separated: {@code topapi} takes a list as text */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CreateRequest(
            String name,
            String mobile,
            @JsonProperty("dept_id_list") String deptIdList,
            @Nullable String userid,
            @Nullable String title,
            @Nullable String email,
            @JsonProperty("job_number") @Nullable String jobNumber) {

        static CreateRequest of(NewDingTalkUser user) {
            return new CreateRequest(
                    user.name(),
                    user.mobile(),
                    commaSeparated(user.departmentIds()),
                    user.userId(),
                    user.title(),
                    user.email(),
                    user.jobNumber());
        }
    }

    /** @param forceUpdateFields fields to clear: an empty {@code manager_userid} is refused, this is accepted */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record UpdateRequest(
            String userid,
            @Nullable String name,
            @Nullable String title,
            @Nullable String email,
            @JsonProperty("job_number") @Nullable String jobNumber,
            @JsonProperty("dept_id_list") @Nullable String deptIdList,
            @JsonProperty("manager_userid") @Nullable String managerUserid,
            @JsonProperty("force_update_fields") @Nullable String forceUpdateFields) {

        static UpdateRequest of(String userId, DingTalkUserChanges changes) {
            List<Long> departmentIds = changes.departmentIds();
            return new UpdateRequest(
                    userId,
                    changes.name(),
                    changes.title(),
                    changes.email(),
                    changes.jobNumber(),
                    departmentIds == null ? null : commaSeparated(departmentIds),
                    changes.managerUserId(),
                    changes.clearManager() ? "manager_userid" : null);
        }
    }

    /** A result that names a user, by the userId that a look-up must find. */
    interface NamesUser {
        @Nullable
        String userid();
    }

    /** The result of {@code topapi/v2/user/get}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record UserGetResult(
            @Nullable String userid,
            @Nullable String unionid,
            @Nullable String name,
            @Nullable String mobile,
            @Nullable String email,
            @Nullable String title,
            @JsonProperty("job_number") @Nullable String jobNumber,
            @JsonProperty("dept_id_list") @Nullable List<Long> deptIdList,
            @JsonProperty("leader_in_dept") @Nullable List<LeaderInDept> leaderInDept,
            @JsonProperty("role_list") @Nullable List<Role> roleList,
            @JsonProperty("manager_userid") @Nullable String managerUserid,
            @JsonProperty("exclusive_account") @Nullable Boolean exclusiveAccount,
            @JsonProperty("login_id") @Nullable String loginId,
            @Nullable Boolean active)
            implements NamesUser {

        DingTalkUser toUser(String userId) {
            return new DingTalkUser(
                    userId,
                    unionid,
                    Objects.toString(name, ""),
                    mobile,
                    email,
                    title,
                    jobNumber,
                    deptIdList == null ? List.of() : deptIdList,
                    leaderInDept == null
                            ? List.of()
                            : leaderInDept.stream()
                                    .filter(entry -> Boolean.TRUE.equals(entry.leader()))
                                    .map(entry -> entry.deptId() == null ? 0L : entry.deptId())
                                    .toList(),
                    roleList == null
                            ? List.of()
                            : roleList.stream()
                                    .map(role -> Objects.toString(role.name(), ""))
                                    .toList(),
                    managerUserid,
                    Boolean.TRUE.equals(exclusiveAccount),
                    loginId,
                    active);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record LeaderInDept(
            @JsonProperty("dept_id") @Nullable Long deptId,
            @Nullable Boolean leader) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Role(@Nullable String name) {}

    /** @param contactType 1 for an external contact, 0 for an employee */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record UnionIdResult(
            @Nullable String userid,
            @JsonProperty("contact_type") @Nullable Integer contactType) implements NamesUser {

        boolean external() {
            return contactType != null && contactType == 1;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record MobileResult(@Nullable String userid) implements NamesUser {}

    /** One entry of {@code topapi/v2/department/listsub}'s result, which is a list. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record SubDepartment(
            @JsonProperty("dept_id") @Nullable Long deptId,
            @Nullable String name,
            @JsonProperty("parent_id") @Nullable Long parentId) {

        DingTalkDepartment toDepartment() {
            return new DingTalkDepartment(
                    deptId == null ? 0 : deptId, Objects.toString(name, ""), parentId == null ? 0 : parentId);
        }
    }

    /** The result of {@code topapi/v2/user/list}: each entry has the fields of {@code user/get}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record UserListResult(
            @JsonProperty("has_more") @Nullable Boolean hasMore,
            @JsonProperty("next_cursor") @Nullable Long nextCursor,
            @Nullable List<UserGetResult> list) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ListIdResult(
            @JsonProperty("userid_list") @Nullable List<String> useridList) {}

    /** The result of {@code topapi/v2/user/create}; DingTalk spells {@code unionId} in camel case here. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record CreateResult(@Nullable String userid, @Nullable String unionId) {}

    private static String commaSeparated(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
