package dev.dinggate.dingtalk;

import dev.dinggate.dingtalk.internal.ApiCall;
import dev.dinggate.dingtalk.internal.DingTalkTransport;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** DingTalk's Enterprise Account APIs (new style, {@code /v1.0/contact/orgAccounts/...}). */
@Component
public class DingTalkOrgAccounts {

    private static final String MANAGE_CONTACTS = "qyapi_manage_addresslist";
    private static final String VISIBILITY = "Contact.OrgAccount.VisiblityInOtherOrg";

    private final DingTalkTransport transport;

    DingTalkOrgAccounts(DingTalkTransport transport) {
        this.transport = transport;
    }

    /** Changes an Enterprise Account's DingTalk ID; DingTalk allows this once a year. */
    public void changeDingTalkId(String userId, String dingTalkId) {
        ApiCall call = new ApiCall(
                "contact.orgAccounts.changeDingTalkId",
                HttpMethod.POST,
                ApiCall.Host.NEW,
                "/v1.0/contact/orgAccounts/dingTalkIds/change",
                MANAGE_CONTACTS,
                false,
                Map.of("userId", userId, "dingTalkId", dingTalkId));
        requireTrueResult(call, transport.call(call));
    }

    /**
     * Makes Enterprise Account fields visible in other organisations.
     *
     * @param optUserId the DingTalk userId of the person asking, kept by DingTalk for its own audit
     */
    public void makeVisibleInOtherOrgs(List<String> corpIds, String optUserId, List<OrgAccountField> fields) {
        ApiCall call = new ApiCall(
                "contact.orgAccounts.visibleInOtherOrg",
                HttpMethod.PUT,
                ApiCall.Host.NEW,
                "/v1.0/contact/orgAccounts/mobiles/visibleInOtherOrg",
                VISIBILITY,
                false,
                Map.of(
                        "toCorpIds",
                        corpIds,
                        "optUserId",
                        optUserId,
                        "fields",
                        fields.stream().map(OrgAccountField::wireName).toList()));
        requireTrueResult(call, transport.call(call));
    }

    private static void requireTrueResult(ApiCall call, JsonNode answer) {
        if (!answer.path("result").asBoolean(false)) {
            throw new DingTalkException.UnexpectedResponse(call.name(), 200, "result is not true");
        }
    }
}
