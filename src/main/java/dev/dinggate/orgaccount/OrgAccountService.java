package dev.dinggate.orgaccount;

import dev.dinggate.audit.AuditTrail;
import dev.dinggate.audit.AuditedChange;
import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.dingtalk.DingTalkOrgAccounts;
import dev.dinggate.dingtalk.OrgAccountField;
import dev.dinggate.security.Caller;
import java.util.List;
import org.springframework.stereotype.Service;

/** Enterprise Account changes, on behalf of an authenticated caller, each one audited before it is sent. */
@Service
public class OrgAccountService {

    private final DingTalkOrgAccounts orgAccounts;
    private final AuditTrail audit;

    OrgAccountService(DingTalkOrgAccounts orgAccounts, AuditTrail audit) {
        this.orgAccounts = orgAccounts;
        this.audit = audit;
    }

    public DingTalkIdChanged changeDingTalkId(Caller caller, String userId, String dingTalkId) {
        AuditedChange change =
                new AuditedChange("org-account.change-dingtalk-id", userId, "set DingTalk ID to " + dingTalkId);
        return audit.record(caller, change, () -> {
            try {
                orgAccounts.changeDingTalkId(userId, dingTalkId);
            } catch (DingTalkException failure) {
                throw OrgAccountProblems.explain(failure, userId);
            }
            return new DingTalkIdChanged(userId, dingTalkId);
        });
    }

    public VisibilityGranted makeVisibleInOtherOrgs(Caller caller, List<String> corpIds, List<OrgAccountField> fields) {
        String optUserId = caller.requireDingTalkUserId();
        List<OrgAccountField> granted = fields.isEmpty() ? List.of(OrgAccountField.MOBILE) : fields;
        List<String> fieldNames =
                granted.stream().map(OrgAccountField::wireName).toList();
        AuditedChange change = new AuditedChange(
                "org-account.visible-in-other-orgs",
                "corps:" + String.join(",", corpIds),
                "make " + String.join(", ", fieldNames) + " of Enterprise Accounts visible in " + corpIds.size()
                        + " other organisation(s)");
        return audit.record(caller, change, () -> {
            try {
                orgAccounts.makeVisibleInOtherOrgs(corpIds, optUserId, granted);
            } catch (DingTalkException failure) {
                throw OrgAccountProblems.explain(failure, optUserId);
            }
            return new VisibilityGranted(corpIds, fieldNames);
        });
    }
}
