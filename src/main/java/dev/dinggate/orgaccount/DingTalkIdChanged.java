package dev.dinggate.orgaccount;

/** Answer of a successful DingTalk ID change. */
public record DingTalkIdChanged(String userId, String dingTalkId) {}
