package dev.dinggate.dingtalk;

/** Enterprise Account fields that DingTalk can make visible to other organisations. */
public enum OrgAccountField {
    MOBILE("mobile"),
    STATUS("status");

    private final String wireName;

    OrgAccountField(String wireName) {
        this.wireName = wireName;
    }

    /** The name DingTalk and the gateway's API both use. */
    public String wireName() {
        return wireName;
    }
}
