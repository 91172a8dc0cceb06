package dev.dinggate.reconciliation;

import dev.dinggate.audit.Settlement;
import dev.dinggate.dingtalk.DingTalkUserChanges;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The facts a feature hands to the audit trail with a change, for the check that can settle it if its
 * outcome gets lost ({@link SettlementChecks}). Changes not listed here have no settling read in DingTalk.
 */
public final class Settlements {

    static final String USER_CREATE = "user.create";
    static final String USER_UPDATE = "user.update";
    static final String USER_DELETE = "user.delete";

    private static final JsonMapper JSON = JsonMapper.shared();

    private Settlements() {}

    /** A user created with this mobile number (and userId, when the caller chose one). */
    public static Settlement userCreated(String mobile, @Nullable String userId) {
        return of(USER_CREATE, new UserCreation(mobile, userId));
    }

    /** These fields sent to this user. */
    public static Settlement userUpdated(String userId, DingTalkUserChanges changes) {
        return of(USER_UPDATE, new UserUpdate(userId, changes));
    }

    public static Settlement userDeleted(String userId) {
        return of(USER_DELETE, new UserDeletion(userId));
    }

    static <T> T facts(String json, Class<T> type) {
        return JSON.readValue(json, type);
    }

    private static Settlement of(String kind, Object facts) {
        return new Settlement(kind, JSON.writeValueAsString(facts));
    }

    record UserCreation(String mobile, @Nullable String userId) {}

    record UserUpdate(String userId, DingTalkUserChanges changes) {}

    record UserDeletion(String userId) {}
}
