package dev.dinggate.security;

/**
 * Whether {@link QuotaFree} handlers can answer from the gateway's own data right now. Until they can (the directory
 * mirror is still filling, or switched off) they read DingTalk, and their requests count against the client's
 * budget like any other read. Implemented by the package that keeps that data.
 */
public interface QuotaFreeAnswers {

    boolean available();
}
