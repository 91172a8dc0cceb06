package dev.dinggate.problem;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The problem a field's failed constraint is answered with, instead of {@code request.invalid}: a mistake
 * the gateway catches locally gets the same code as when DingTalk catches it, so a client needs one code per
 * mistake.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface InvalidAs {

    GatewayProblem value();
}
