package dev.dinggate.orgaccount;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.dingtalk.DingTalkOrgAccounts;
import dev.dinggate.dingtalk.OrgAccountField;
import dev.dinggate.security.Caller;

/** Enterprise Account changes, on behalf of an authenticated caller. */
@Service
class OrgAccountService {

    private static final Logger log = LoggerFactory.getLogger(OrgAccountService.class);

    private final DingTalkOrgAccounts orgAccounts;

    OrgAccountService(DingTalkOrgAccounts orgAccounts) {
        this.orgAccounts = orgAccounts;
    }

    DingTalkIdChanged changeDingTalkId(Caller caller, String userId, String dingTalkId) {
        try {
            orgAccounts.changeDingTalkId(userId, dingTalkId);
        }
        catch (DingTalkException.Rejected rejected) {
            throw OrgAccountProblems.explain(rejected, userId);
        }
        log.info("{} changed the DingTalk ID of {}", caller.principal(), userId);
        return new DingTalkIdChanged(userId, dingTalkId);
    }

    VisibilityGranted makeVisibleInOtherOrgs(Caller caller, List<String> corpIds, List<OrgAccountField> fields) {
        String optUserId = caller.requireDingTalkUserId();
        List<OrgAccountField> granted = fields.isEmpty() ? List.of(OrgAccountField.MOBILE) : fields;
        try {
            orgAccounts.makeVisibleInOtherOrgs(corpIds, optUserId, granted);
        }
        catch (DingTalkException.Rejected rejected) {
            throw OrgAccountProblems.explain(rejected, optUserId);
        }
        log.info("{} made {} visible in {} other organisation(s)", caller.principal(), granted, corpIds.size());
        return new VisibilityGranted(corpIds, granted.stream().map(OrgAccountField::wireName).toList());
    }
}
