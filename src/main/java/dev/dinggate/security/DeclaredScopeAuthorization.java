package dev.dinggate.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.security.authorization.AuthenticatedAuthorizationManager;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

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
    private static final String UNDECLARED = "";

    private final ObjectProvider<RequestMappingHandlerMapping> handlers;

    DeclaredScopeAuthorization(ObjectProvider<RequestMappingHandlerMapping> handlers) {
        this.handlers = handlers;
    }

    @Override
    public @Nullable AuthorizationResult authorize(
            Supplier<? extends @Nullable Authentication> authentication, RequestAuthorizationContext context) {
        Set<String> scopes = scopesOf(context.getRequest());
        if (scopes == null) {
            return AuthenticatedAuthorizationManager.authenticated().authorize(authentication, context);
        }
        if (scopes.contains(UNDECLARED) || scopes.size() != 1) {
            return DENY;
        }
        if (scopes.contains(RequiresScope.ANY_CALLER)) {
            return AuthenticatedAuthorizationManager.authenticated().authorize(authentication, context);
        }
        return AuthorityAuthorizationManager.<RequestAuthorizationContext>hasAuthority(
                        "SCOPE_" + scopes.iterator().next())
                .authorize(authentication, context);
    }

    /**
     * The scopes the handlers of this path and method declare (media types aside: a request a handler refuses
     * for its body's type is still that handler's to authorize), or null when no handler has this path and method.
     */
    private @Nullable Set<String> scopesOf(HttpServletRequest request) {
        boolean parsedHere = !ServletRequestPathUtils.hasParsedRequestPath(request);
        if (parsedHere) {
            ServletRequestPathUtils.parseAndCache(request);
        }
        try {
            Set<String> scopes = new LinkedHashSet<>();
            for (Map.Entry<RequestMappingInfo, HandlerMethod> handler :
                    handlers.getObject().getHandlerMethods().entrySet()) {
                RequestMappingInfo info = handler.getKey();
                if (info.getPathPatternsCondition() != null
                        && info.getPathPatternsCondition().getMatchingCondition(request) != null
                        && info.getMethodsCondition().getMatchingCondition(request) != null) {
                    RequiresScope declared = AnnotatedElementUtils.findMergedAnnotation(
                            handler.getValue().getMethod(), RequiresScope.class);
                    scopes.add(declared == null ? UNDECLARED : declared.value());
                }
            }
            return scopes.isEmpty() ? null : scopes;
        } finally {
            if (parsedHere) {
                ServletRequestPathUtils.clearParsedRequestPath(request);
            }
        }
    }
}
