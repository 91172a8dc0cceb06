package dev.dinggate.security;

import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authorization.AuthenticatedAuthorizationManager;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Decides a request by what its handler declares: the scope of {@link RequiresScope}, or denial when the
 * handler declares none. Deciding in the filter chain, rather than by method security inside Spring MVC,
 * keeps a refused request from spending the client's request budget or claiming its Idempotency-Key.
 * A request that no handler serves (an unknown path, a method the path does not have) only needs an
 * authenticated caller, so that Spring MVC answers 404 or 405 rather than 403, which would say the route
 * exists.
 */
final class DeclaredScopeAuthorization implements AuthorizationManager<RequestAuthorizationContext> {

    private static final AuthorizationDecision DENY = new AuthorizationDecision(false);

    private final DeclaredHandlers handlers;

    DeclaredScopeAuthorization(DeclaredHandlers handlers) {
        this.handlers = handlers;
    }

    @Override
    public @Nullable AuthorizationResult authorize(
            Supplier<? extends @Nullable Authentication> authentication, RequestAuthorizationContext context) {
        DeclaredHandlers.Declared declared = handlers.of(context.getRequest());
        if (declared == null) {
            return AuthenticatedAuthorizationManager.authenticated().authorize(authentication, context);
        }
        Set<String> scopes = declared.scopes();
        if (scopes.contains(DeclaredHandlers.UNDECLARED) || scopes.size() != 1) {
            return DENY;
        }
        if (scopes.contains(RequiresScope.ANY_CALLER)) {
            return AuthenticatedAuthorizationManager.authenticated().authorize(authentication, context);
        }
        return AuthorityAuthorizationManager.<RequestAuthorizationContext>hasAuthority(
                        "SCOPE_" + scopes.iterator().next())
                .authorize(authentication, context);
    }
}
