package dev.dinggate.dingtalk;

import static dev.dinggate.dingtalk.ContactsWire.LANGUAGE;

import dev.dinggate.dingtalk.ContactsWire.CreateRequest;
import dev.dinggate.dingtalk.ContactsWire.CreateResult;
import dev.dinggate.dingtalk.ContactsWire.DeleteRequest;
import dev.dinggate.dingtalk.ContactsWire.DepartmentGetRequest;
import dev.dinggate.dingtalk.ContactsWire.ListIdRequest;
import dev.dinggate.dingtalk.ContactsWire.ListIdResult;
import dev.dinggate.dingtalk.ContactsWire.ListSubRequest;
import dev.dinggate.dingtalk.ContactsWire.MobileRequest;
import dev.dinggate.dingtalk.ContactsWire.MobileResult;
import dev.dinggate.dingtalk.ContactsWire.NamesUser;
import dev.dinggate.dingtalk.ContactsWire.SubDepartment;
import dev.dinggate.dingtalk.ContactsWire.UnionIdRequest;
import dev.dinggate.dingtalk.ContactsWire.UnionIdResult;
import dev.dinggate.dingtalk.ContactsWire.UpdateRequest;
import dev.dinggate.dingtalk.ContactsWire.UserGetRequest;
import dev.dinggate.dingtalk.ContactsWire.UserGetResult;
import dev.dinggate.dingtalk.ContactsWire.UserListRequest;
import dev.dinggate.dingtalk.ContactsWire.UserListResult;
import dev.dinggate.dingtalk.internal.ApiCall;
import dev.dinggate.dingtalk.internal.DingTalkTransport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

/** DingTalk's Contacts APIs (old style, {@code oapi.} host, {@code /topapi/...}). */
@Component
public class DingTalkContacts {

    /** DingTalk's code for "invitation sent": the user joins once they accept. Not an error. */
    static final String INVITATION_SENT = "40103";

    /** DingTalk's code for "no such user" (wrong org, resigned, not yet joined, invitation pending). */
    static final String USER_NOT_FOUND = "60121";

    private static final String READ_MEMBERS = "qyapi_get_member";
    private static final String READ_BY_MOBILE = "qyapi_get_member_by_mobile";
    private static final String READ_DEPARTMENTS = "qyapi_get_department_list";
    private static final String READ_DEPARTMENT_MEMBERS = "qyapi_get_department_member";
    private static final String MANAGE_CONTACTS = "qyapi_manage_addresslist";

    private final DingTalkTransport transport;

    DingTalkContacts(DingTalkTransport transport) {
        this.transport = transport;
    }

    public DingTalkUser user(String userId) {
        String api = "contact.user.get";
        UserGetResult result = transport.call(
                readCall(api, "/topapi/v2/user/get", READ_MEMBERS, new UserGetRequest(userId, LANGUAGE)),
                UserGetResult.class);
        String found = userIdOf(result, api);
        return result.toUser(found);
    }

    /** The userId behind a unionId, and whether DingTalk counts them as an external contact. */
    public UnionIdMatch userByUnionId(String unionId) {
        String api = "contact.user.getByUnionId";
        UnionIdResult result = transport.call(
                readCall(api, "/topapi/user/getbyunionid", READ_MEMBERS, new UnionIdRequest(unionId)),
                UnionIdResult.class);
        return new UnionIdMatch(userIdOf(result, api), result.external());
    }

    /** The userId of the active employee with this mobile number. */
    public String userIdByMobile(String mobile) {
        String api = "contact.user.getByMobile";
        return userIdOf(
                transport.call(
                        readCall(api, "/topapi/v2/user/getbymobile", READ_BY_MOBILE, new MobileRequest(mobile)),
                        MobileResult.class),
                api);
    }

    /** The next level of departments below {@code departmentId} (DingTalk never returns more than one level). */
    public List<DingTalkDepartment> subDepartments(long departmentId) {
        SubDepartment[] result = transport.call(
                readCall(
                        "contact.department.listSub",
                        "/topapi/v2/department/listsub",
                        READ_DEPARTMENTS,
                        new ListSubRequest(departmentId, LANGUAGE)),
                SubDepartment[].class);
        return result == null
                ? List.of()
                : Arrays.stream(result).map(SubDepartment::toDepartment).toList();
    }

    /** The userIds of the members of one department (not of its sub-departments). */
    public List<String> userIdsIn(long departmentId) {
        ListIdResult result = transport.call(
                readCall(
                        "contact.user.listId",
                        "/topapi/user/listid",
                        READ_DEPARTMENT_MEMBERS,
                        new ListIdRequest(departmentId)),
                ListIdResult.class);
        return result == null || result.useridList() == null ? List.of() : result.useridList();
    }

    /**
     * One page of the users directly in a department, each with every field {@link #user} reads: 100 users per
     * call instead of one.
     *
     * @param cursor 0 for the first page, then {@link UserPage#nextCursor()}
     * @param size at most 100 (DingTalk's limit)
     */
    public UserPage usersIn(long departmentId, long cursor, int size) {
        String api = "contact.user.list";
        UserListResult result = transport.call(
                readCall(
                        api,
                        "/topapi/v2/user/list",
                        READ_MEMBERS,
                        new UserListRequest(departmentId, cursor, size, LANGUAGE)),
                UserListResult.class);
        if (result == null || result.list() == null) {
            return new UserPage(List.of(), false, cursor);
        }
        List<DingTalkUser> users = new ArrayList<>(result.list().size());
        for (UserGetResult entry : result.list()) {
            users.add(entry.toUser(userIdOf(entry, api)));
        }
        boolean more = Boolean.TRUE.equals(result.hasMore()) && result.nextCursor() != null;
        return new UserPage(users, more, more ? result.nextCursor() : cursor);
    }

    /** One department (its name and parent), as {@code topapi/v2/department/get} answers. */
    public DingTalkDepartment department(long departmentId) {
        SubDepartment result = transport.call(
                readCall(
                        "contact.department.get",
                        "/topapi/v2/department/get",
                        READ_DEPARTMENTS,
                        new DepartmentGetRequest(departmentId, LANGUAGE)),
                SubDepartment.class);
        if (result == null || result.deptId() == null) {
            throw new DingTalkException.UnexpectedResponse("contact.department.get", 200, "no dept_id in the result");
        }
        return result.toDepartment();
    }

    public CreatedUser createUser(NewDingTalkUser user) {
        try {
            CreateResult result = transport.call(
                    changeCall("contact.user.create", "/topapi/v2/user/create", CreateRequest.of(user)),
                    CreateResult.class);
            return result == null
                    ? new CreatedUser(false, null, null)
                    : new CreatedUser(false, result.userid(), result.unionId());
        } catch (DingTalkException.Rejected rejected) {
            if (INVITATION_SENT.equals(rejected.upstreamCode())) {
                return new CreatedUser(true, user.userId(), null);
            }
            throw rejected;
        }
    }

    public void updateUser(String userId, DingTalkUserChanges changes) {
        transport.call(
                changeCall("contact.user.update", "/topapi/v2/user/update", UpdateRequest.of(userId, changes)),
                Void.class);
    }

    public void deleteUser(String userId) {
        transport.call(
                changeCall("contact.user.delete", "/topapi/v2/user/delete", new DeleteRequest(userId)), Void.class);
    }

    /**
     * Result of a create.
     *
     * @param invited DingTalk sent an invitation (40103) instead: the user joins once they accept
     */
    public record CreatedUser(
            boolean invited,
            @Nullable String userId,
            @Nullable String unionId) {}

    /**
     * A page of {@link #usersIn}.
     *
     * @param hasMore whether another page follows, asked for with {@code nextCursor}
     */
    public record UserPage(List<DingTalkUser> users, boolean hasMore, long nextCursor) {}

    /** Whether DingTalk answered that the user does not exist (60121). */
    public static boolean userNotFound(DingTalkException failure) {
        return failure instanceof DingTalkException.Rejected rejected && USER_NOT_FOUND.equals(rejected.upstreamCode());
    }

    /** Result of a unionId look-up. */
    public record UnionIdMatch(String userId, boolean external) {}

    private static ApiCall readCall(String name, String path, String permission, Object request) {
        return new ApiCall(name, HttpMethod.POST, ApiCall.Host.LEGACY, path, permission, true, request);
    }

    private static ApiCall changeCall(String name, String path, Object request) {
        return new ApiCall(name, HttpMethod.POST, ApiCall.Host.LEGACY, path, MANAGE_CONTACTS, false, request);
    }

    private static String userIdOf(@Nullable NamesUser result, String api) {
        String userId = result == null ? null : result.userid();
        if (userId == null || userId.isBlank()) {
            throw new DingTalkException.UnexpectedResponse(api, 200, "no userid in the result");
        }
        return userId;
    }
}
