package dev.dinggate.contact;

import dev.dinggate.audit.AuditTrail;
import dev.dinggate.audit.AuditedChange;
import dev.dinggate.audit.Redaction;
import dev.dinggate.dingtalk.DingTalkContacts;
import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.dingtalk.DingTalkUserChanges;
import dev.dinggate.dingtalk.NewDingTalkUser;
import dev.dinggate.problem.GatewayProblemException;
import dev.dinggate.security.Caller;
import java.time.Duration;
import java.util.Locale;
import org.springframework.stereotype.Service;

/** User reads and changes on behalf of HR systems; changes and mobile look-ups are audited. */
@Service
public class UserService {

    private final DingTalkContacts contacts;
    private final MobileNumbers mobiles;
    private final AuditTrail audit;

    UserService(DingTalkContacts contacts, MobileNumbers mobiles, AuditTrail audit) {
        this.contacts = contacts;
        this.mobiles = mobiles;
        this.audit = audit;
    }

    UserDetails details(String userId) {
        try {
            return UserDetails.from(contacts.user(userId));
        } catch (DingTalkException.Rejected rejected) {
            throw ContactProblems.explain(rejected);
        }
    }

    UserLookupResult lookup(Caller caller, UserLookupRequest request) {
        if ((request.unionId() == null) == (request.mobile() == null)) {
            throw new GatewayProblemException(
                    ContactProblems.LOOKUP_INVALID,
                    "Send {\"unionId\": ...} or {\"mobile\": ...}, not both and not neither.");
        }
        if (request.unionId() != null) {
            try {
                DingTalkContacts.UnionIdMatch match = contacts.userByUnionId(request.unionId());
                return new UserLookupResult(match.userId(), match.external() ? "external" : "internal");
            } catch (DingTalkException.Rejected rejected) {
                throw ContactProblems.explain(rejected);
            }
        }
        String mobile = mobiles.normalise(request.mobile());
        AuditedChange lookup = new AuditedChange(
                "user.lookup-by-mobile",
                "mobile:" + Redaction.mobile(mobile),
                "look up the userId of mobile " + Redaction.mobile(mobile));
        return audit.record(caller, lookup, () -> {
            try {
                return new UserLookupResult(contacts.userIdByMobile(mobile), null);
            } catch (DingTalkException.PermissionMissing missing) {
                throw mobileLookupNotPermitted(missing);
            } catch (DingTalkException.Rejected rejected) {
                if (isNoPermissionToCall(rejected)) {
                    throw mobileLookupNotPermitted(rejected);
                }
                throw ContactProblems.explain(rejected);
            }
        });
    }

    /** Refuses, before anything is recorded or sent, a new user whose mobile number is no number. */
    public void checkCreate(CreateUserRequest request) {
        mobiles.normalise(request.mobile());
    }

    public CreatedUser create(Caller caller, CreateUserRequest request) {
        String mobile = mobiles.normalise(request.mobile());
        String target = request.userId() != null ? request.userId() : "mobile:" + Redaction.mobile(mobile);
        AuditedChange change = new AuditedChange(
                "user.create",
                target,
                "create user '" + request.name() + "' with mobile " + Redaction.mobile(mobile) + " in departments "
                        + request.departmentIds());
        return audit.record(caller, change, () -> {
            try {
                DingTalkContacts.CreatedUser created = contacts.createUser(new NewDingTalkUser(
                        request.name(),
                        mobile,
                        request.departmentIds(),
                        request.userId(),
                        request.title(),
                        request.email(),
                        request.jobNumber()));
                return new CreatedUser(created.invited() ? "invited" : "created", created.userId(), created.unionId());
            } catch (DingTalkException.Busy busy) {
                throw new GatewayProblemException(
                        ContactProblems.BUSY,
                        "DingTalk stayed busy through every retry. "
                                + "When adding users this can also mean the organisation reached its weekly or total limit "
                                + "for adding employees (DingTalk FAQ).",
                        busy,
                        Duration.ofSeconds(5));
            } catch (DingTalkException.Rejected rejected) {
                throw ContactProblems.explain(rejected);
            }
        });
    }

    /** Refuses, before anything is recorded or sent, a patch DingTalk cannot apply. */
    public void checkUpdate(UpdateUserRequest request) {
        if (request.changesMobile()) {
            throw new GatewayProblemException(
                    ContactProblems.MOBILE_IMMUTABLE,
                    "DingTalk cannot change a user's "
                            + "mobile number. Delete the user and add them again with the new number.");
        }
        if (request.isEmpty()) {
            throw new GatewayProblemException(
                    ContactProblems.NOTHING_TO_CHANGE, "The patch changes nothing: give at least one field.");
        }
    }

    public void update(Caller caller, String userId, UpdateUserRequest request) {
        checkUpdate(request);
        AuditedChange change = new AuditedChange(
                "user.update",
                userId,
                "update " + String.join(", ", request.changedFields())
                        + (request.clearsManager() ? " (manager removed)" : ""));
        audit.record(caller, change, () -> {
            try {
                contacts.updateUser(
                        userId,
                        new DingTalkUserChanges(
                                request.name(),
                                request.title(),
                                request.email(),
                                request.jobNumber(),
                                request.departmentIds(),
                                request.managerUserId(),
                                request.clearsManager()));
                return null;
            } catch (DingTalkException.Rejected rejected) {
                throw ContactProblems.explain(rejected);
            }
        });
    }

    public void delete(Caller caller, String userId) {
        audit.record(caller, new AuditedChange("user.delete", userId, "delete user " + userId), () -> {
            try {
                contacts.deleteUser(userId);
                return null;
            } catch (DingTalkException.Rejected rejected) {
                throw ContactProblems.explain(rejected);
            }
        });
    }

    private static boolean isNoPermissionToCall(DingTalkException.Rejected rejected) {
        String message = rejected.upstreamMessage().toLowerCase(Locale.ROOT);
        return message.contains("no permission") || message.contains("没有调用该接口的权限");
    }

    private static GatewayProblemException mobileLookupNotPermitted(DingTalkException cause) {
        return new GatewayProblemException(
                ContactProblems.PERMISSION_MISSING,
                "The DingTalk app may not look users up "
                        + "by mobile number: it needs the permission 'qyapi_get_member_by_mobile', and apps of the old kind "
                        + "(access token from corpId and corpSecret) cannot call this API at all: create a new internal app.",
                cause);
    }
}
