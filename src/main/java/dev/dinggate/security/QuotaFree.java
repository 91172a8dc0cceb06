package dev.dinggate.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * This handler is answered from the gateway's own data (the directory mirror) and spends no DingTalk quota, so
 * the per-client request budget, which exists to share that quota, does not apply to it; only a guard against
 * abuse does ({@code gateway.inbound.quota-free-rate-limit}, far above what a busy web app needs).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface QuotaFree {

    /**
     * A query parameter, as {@code name=value}, that makes the request read DingTalk after all (e.g.
     * {@code consistency=strong}): such a request counts against the client's budget like any DingTalk read.
     */
    String unlessParameter() default "";
}
