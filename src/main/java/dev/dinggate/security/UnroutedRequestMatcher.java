package dev.dinggate.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Requests that no controller handles: an unknown path, or a method the path does not have. An
 * authenticated caller is let through for them so that Spring MVC answers 404 or 405 (with {@code Allow})
 * rather than 403, which would say the route exists. A handler that exists but has no rule in
 * {@link SecurityConfiguration} is not matched here: it stays denied.
 */
final class UnroutedRequestMatcher implements RequestMatcher {

    private final ObjectProvider<RequestMappingHandlerMapping> handlers;

    UnroutedRequestMatcher(ObjectProvider<RequestMappingHandlerMapping> handlers) {
        this.handlers = handlers;
    }

    @Override
    public boolean matches(HttpServletRequest request) {
        try {
            return handlers.getObject().getHandler(request) == null;
        } catch (HttpRequestMethodNotSupportedException wrongMethod) {
            return true;
        } catch (Exception otherMismatch) {
            // The path and method exist but something else does not fit (media type, say): the route's rule decides.
            return false;
        }
    }
}
