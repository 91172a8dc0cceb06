package dev.dinggate.contact;

import dev.dinggate.audit.AuditTrail;
import dev.dinggate.audit.AuditedChange;
import dev.dinggate.audit.Redaction;
import dev.dinggate.dingtalk.DingTalkContacts;
import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.dingtalk.DingTalkUser;
import dev.dinggate.dingtalk.DingTalkUserChanges;
import dev.dinggate.dingtalk.NewDingTalkUser;
import dev.dinggate.directory.DirectoryReads;
import dev.dinggate.directory.MirrorWriteThrough;
import dev.dinggate.directory.UserDetails;
import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.problem.GatewayProblemException;
import dev.dinggate.reconciliation.Settlements;
import dev.dinggate.security.Caller;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/** User reads and changes on behalf of HR systems; changes and mobile look-ups are audited. */
@Service
public class UserService {

    private final DingTalkContacts contacts;
    private final MobileNumbers mobiles;
    private final AuditTrail audit;
    private final DirectoryReads mirror;
    private final MirrorWriteThrough writeThrough;
    private final Clock clock;

    UserService(
            DingTalkContacts contacts,
            MobileNumbers mobiles,
            AuditTrail audit,
            DirectoryReads mirror,
            MirrorWriteThrough writeThrough,
            ObjectProvider<Clock> clock) {
        this.contacts = contacts;
        this.mobiles = mobiles;
        this.audit = audit;
        this.mirror = mirror;
        this.writeThrough = writeThrough;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /**
     * The user from the directory mirror, or from DingTalk when the mirror lacks them or {@code strong} asks for
     * DingTalk's own answer; what DingTalk answers refreshes the mirror.
     */
    UserDetails details(String userId, boolean strong) {
        if (!strong) {
            Optional<UserDetails> mirrored = mirror.user(userId);
            if (mirrored.isPresent()) {
                return mirrored.get();
            }
        }
        Instant readAt = clock.instant();
        try {
            DingTalkUser user = contacts.user(userId);
            writeThrough.userWritten(user);
            return UserDetails.read(user, readAt);
        } catch (DingTalkException failure) {
            if (DingTalkContacts.userNotFound(failure)) {
                writeThrough.userRemoved(userId);
            }
            throw ContactProblems.explain(failure);
        }
    }

    UserLookupResult lookup(Caller caller, UserLookupRequest request) {
        if ((request.unionId() == null) == (request.mobile() == null)) {
            throw new GatewayProblemException(
                    GatewayProblem.LOOKUP_INVALID,
                    "Send {\"unionId\": ...} or {\"mobile\": ...}, not both and not neither.");
        }
        if (request.unionId() != null) {
            try {
                DingTalkContacts.UnionIdMatch match = contacts.userByUnionId(request.unionId());
                return new UserLookupResult(match.userId(), match.external() ? "external" : "internal");
            } catch (DingTalkException failure) {
                throw ContactProblems.explain(failure);
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
            } catch (DingTalkException failure) {
                throw ContactProblems.explainMobileLookup(failure);
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
                        + request.departmentIds(),
                Settlements.userCreated(mobile, request.userId()));
        return audit.record(caller, change, () -> {
            try {
                NewDingTalkUser user = new NewDingTalkUser(
                        request.name(),
                        mobile,
                        request.departmentIds(),
                        request.userId(),
                        request.title(),
                        request.email(),
                        request.jobNumber());
                DingTalkContacts.CreatedUser created = contacts.createUser(user);
                if (!created.invited() && created.userId() != null) {
                    // An invited user is not in DingTalk's directory until they accept: nothing to mirror yet.
                    writeThrough.userWritten(user.asCreated(created.userId(), created.unionId()));
                }
                return new CreatedUser(created.invited() ? "invited" : "created", created.userId(), created.unionId());
            } catch (DingTalkException failure) {
                throw ContactProblems.explainCreate(failure);
            }
        });
    }

    /** Refuses, before anything is recorded or sent, a patch DingTalk cannot apply. */
    public void checkUpdate(UpdateUserRequest request) {
        if (request.changesMobile()) {
            throw new GatewayProblemException(
                    GatewayProblem.USER_MOBILE_IMMUTABLE,
                    "DingTalk cannot change a user's "
                            + "mobile number. Delete the user and add them again with the new number.");
        }
        if (request.isEmpty()) {
            throw new GatewayProblemException(
                    GatewayProblem.REQUEST_INVALID, "The patch changes nothing: give at least one field.");
        }
    }

    public void update(Caller caller, String userId, UpdateUserRequest request) {
        checkUpdate(request);
        DingTalkUserChanges changes = new DingTalkUserChanges(
                request.name(),
                request.title(),
                request.email(),
                request.jobNumber(),
                request.departmentIds(),
                request.managerUserId(),
                request.clearsManager());
        AuditedChange change = new AuditedChange(
                "user.update",
                userId,
                "update " + String.join(", ", request.changedFields())
                        + (request.clearsManager() ? " (manager removed)" : ""),
                Settlements.userUpdated(userId, changes));
        audit.record(caller, change, () -> {
            try {
                contacts.updateUser(userId, changes);
                mirror.mirrored(userId).ifPresent(known -> writeThrough.userWritten(changes.applyTo(known)));
                return null;
            } catch (DingTalkException failure) {
                throw ContactProblems.explain(failure);
            }
        });
    }

    public void delete(Caller caller, String userId) {
        AuditedChange change =
                new AuditedChange("user.delete", userId, "delete user " + userId, Settlements.userDeleted(userId));
        audit.record(caller, change, () -> {
            try {
                contacts.deleteUser(userId);
                writeThrough.userRemoved(userId);
                return null;
            } catch (DingTalkException failure) {
                throw ContactProblems.explain(failure);
            }
        });
    }
}
