package dev.dinggate.dingtalk;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.dinggate.dingtalk.internal.ApiCall;
import dev.dinggate.dingtalk.internal.DingTalkTransport;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

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
        send(new ApiCall(
                "contact.orgAccounts.changeDingTalkId",
                HttpMethod.POST,
                ApiCall.Host.NEW,
                "/v1.0/contact/orgAccounts/dingTalkIds/change",
                MANAGE_CONTACTS,
                false,
                new DingTalkIdChange(userId, dingTalkId)));
    }

    /**
     * Makes Enterprise Account fields visible in other organisations.
     *
     * @param optUserId the DingTalk userId of the person asking, kept by DingTalk for its own audit
     */
    public void makeVisibleInOtherOrgs(List<String> corpIds, String optUserId, List<OrgAccountField> fields) {
        send(new ApiCall(
                "contact.orgAccounts.visibleInOtherOrg",
                HttpMethod.PUT,
                ApiCall.Host.NEW,
                "/v1.0/contact/orgAccounts/mobiles/visibleInOtherOrg",
                VISIBILITY,
                false,
                new VisibilityChange(
                        corpIds,
                        optUserId,
                        fields.stream().map(OrgAccountField::wireName).toList())));
    }

    /** Both APIs answer {@code {"result": true}} when they did what was asked. */
    private void send(ApiCall call) {
        Outcome outcome = transport.call(call, Outcome.class);
        if (outcome == null || !Boolean.TRUE.equals(outcome.result())) {
            throw new DingTalkException.UnexpectedResponse(call.name(), 200, "result is not true");
        }
    }

    /** The body of {@code dingTalkIds/change}. */
    record DingTalkIdChange(String userId, String dingTalkId) {}

    /** The body of {@code mobiles/visibleInOtherOrg}. */
    record VisibilityChange(List<String> toCorpIds, String optUserId, List<String> fields) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Outcome(@Nullable Boolean result) {}
}
