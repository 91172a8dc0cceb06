package dev.dinggate.reconciliation;

import dev.dinggate.audit.AuditOutcome;
import dev.dinggate.audit.AuditSettlements;
import dev.dinggate.dingtalk.DingTalkContacts;
import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.dingtalk.DingTalkUser;
import dev.dinggate.dingtalk.DingTalkUserChanges;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * One read of DingTalk per check, through the paced facade, and the rule that turns its answer into an
 * outcome. A rule claims FAILED only where the read rules the change out; anything else stays UNKNOWN.
 */
@Component
class SettlementChecks {

    /** DingTalk's "user not found": resigned, never joined, or an invitation not yet accepted. */
    private static final String USER_NOT_FOUND = "60121";

    private final DingTalkContacts contacts;

    SettlementChecks(DingTalkContacts contacts) {
        this.contacts = contacts;
    }

    Verdict check(AuditSettlements.Due due) {
        try {
            return switch (due.kind()) {
                case Settlements.USER_CREATE -> created(Settlements.facts(due.facts(), Settlements.UserCreation.class));
                case Settlements.USER_DELETE -> deleted(Settlements.facts(due.facts(), Settlements.UserDeletion.class));
                case Settlements.USER_UPDATE -> updated(Settlements.facts(due.facts(), Settlements.UserUpdate.class));
                // Facts written by a newer gateway during a rolling update: a replica that knows them checks.
                default -> new Verdict.NotYet("no check for kind " + due.kind() + " on this replica");
            };
        } catch (DingTalkException failed) {
            return new Verdict.NotYet(
                    "DingTalk's read failed: " + failed.getClass().getSimpleName()
                            + (failed.upstreamCode() == null ? "" : " " + failed.upstreamCode()));
        }
    }

    /**
     * Mobile numbers are unique in an organisation, so a user found by the number the create sent is the
     * one it created. Nobody found means nothing was created, with one case the read cannot tell apart:
     * DingTalk may have sent an invitation (40103) instead, and an invited user is not found until they
     * accept. Sending the create again is safe either way (DingTalk invites again at most), so it is
     * FAILED, and the how says so.
     */
    private Verdict created(Settlements.UserCreation facts) {
        String found;
        try {
            found = contacts.userIdByMobile(facts.mobile());
        } catch (DingTalkException.Rejected rejected) {
            if (USER_NOT_FOUND.equals(rejected.upstreamCode())) {
                return new Verdict.Settled(
                        AuditOutcome.FAILED,
                        "no active user has the mobile number it was created with (getbymobile answered 60121): "
                                + "not created, or invited (40103) and not yet accepted");
            }
            throw rejected;
        }
        if (facts.userId() != null && !facts.userId().equals(found)) {
            return new Verdict.Never("the mobile number it was created with belongs to user " + found
                    + ", not to the userId the create asked for");
        }
        return new Verdict.Settled(
                AuditOutcome.SUCCEEDED, "user " + found + " found by the mobile number it was created with");
    }

    /** A user who is still there was not deleted; one DingTalk no longer finds is gone. */
    private Verdict deleted(Settlements.UserDeletion facts) {
        try {
            contacts.user(facts.userId());
        } catch (DingTalkException.Rejected rejected) {
            if (USER_NOT_FOUND.equals(rejected.upstreamCode())) {
                return new Verdict.Settled(AuditOutcome.SUCCEEDED, "user read answered 60121 (user not found)");
            }
            throw rejected;
        }
        return new Verdict.Settled(AuditOutcome.FAILED, "user read found the user still there");
    }

    /**
     * Every field reading back as sent settles it SUCCEEDED. A field reading back otherwise proves nothing
     * (another writer, an HR system or an admin, may have changed it since), so it is never FAILED; the
     * check is repeated until it matches or the attempts run out.
     */
    private Verdict updated(Settlements.UserUpdate facts) {
        DingTalkUser user;
        try {
            user = contacts.user(facts.userId());
        } catch (DingTalkException.Rejected rejected) {
            if (USER_NOT_FOUND.equals(rejected.upstreamCode())) {
                return new Verdict.Never("the user no longer exists (60121): nothing left to read back");
            }
            throw rejected;
        }
        DingTalkUserChanges sent = facts.changes();
        if (sent.email() != null && user.email() == null) {
            // DingTalk returns an email only when it is set in DingTalk Mail settings (FAQ).
            return new Verdict.Never("the email cannot be read back: DingTalk returns it only when set in Mail");
        }
        List<String> differing = differing(sent, user);
        if (differing.isEmpty()) {
            return new Verdict.Settled(AuditOutcome.SUCCEEDED, "user read back as sent: " + sentFields(sent));
        }
        return new Verdict.NotYet("read back differently: " + String.join(", ", differing));
    }

    private static List<String> differing(DingTalkUserChanges sent, DingTalkUser user) {
        List<String> fields = new ArrayList<>();
        differs(fields, "name", sent.name(), user.name());
        differs(fields, "title", sent.title(), user.title());
        if (sent.email() != null && !sent.email().equalsIgnoreCase(user.email())) {
            fields.add("email");
        }
        differs(fields, "jobNumber", sent.jobNumber(), user.jobNumber());
        if (sent.departmentIds() != null
                && !new HashSet<>(sent.departmentIds()).equals(new HashSet<>(user.departmentIds()))) {
            fields.add("departmentIds");
        }
        differs(fields, "managerUserId", sent.managerUserId(), user.managerUserId());
        if (sent.clearManager() && user.managerUserId() != null) {
            fields.add("managerUserId");
        }
        return fields;
    }

    private static void differs(List<String> fields, String name, @Nullable String sent, @Nullable String read) {
        if (sent != null && !Objects.equals(sent, read)) {
            fields.add(name);
        }
    }

    private static String sentFields(DingTalkUserChanges sent) {
        List<String> fields = new ArrayList<>();
        Map.of(
                        "name", sent.name() != null,
                        "title", sent.title() != null,
                        "email", sent.email() != null,
                        "jobNumber", sent.jobNumber() != null,
                        "departmentIds", sent.departmentIds() != null,
                        "managerUserId", sent.managerUserId() != null || sent.clearManager())
                .forEach((field, wasSent) -> {
                    if (wasSent) {
                        fields.add(field);
                    }
                });
        fields.sort(null);
        return String.join(", ", fields);
    }
}
