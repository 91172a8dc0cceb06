package dev.dinggate.orgaccount;

/** Answer of a successful DingTalk ID change. */
record DingTalkIdChanged(String userId, String dingTalkId) {}
