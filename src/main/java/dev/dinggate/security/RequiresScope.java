package dev.dinggate.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scope a caller's token must grant to call this handler. The one place an operation's access is declared:
 * the filter chain enforces it ({@link DeclaredScopeAuthorization}) before anything else of the request runs,
 * and the API docs show it. A handler without it is denied to every caller.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RequiresScope {

    /**
     * Any authenticated caller: the handler checks the scopes its input needs (a batch needs the scope of each
     * of its items) and whose data the caller may see.
     */
    String ANY_CALLER = "*";

    /** The scope, as the token grants it: {@code users:read}; or {@link #ANY_CALLER}. */
    String value();
}
