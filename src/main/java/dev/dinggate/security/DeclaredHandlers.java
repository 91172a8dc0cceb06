package dev.dinggate.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * What the handlers of a request declare ({@link RequiresScope}, {@link QuotaFree}), found once per request and
 * kept in a request attribute for every filter that asks; each handler's annotations are read once per process.
 */
final class DeclaredHandlers {

    /** The scope of a handler that declares none: nobody may call it. */
    static final String UNDECLARED = "";

    private static final String ATTRIBUTE = DeclaredHandlers.class.getName();

    private final ObjectProvider<RequestMappingHandlerMapping> handlers;
    /**
     * Each handler's mapping with what it declares, read on the first request: the handlers are registered at
     * start and never change, and {@code getHandlerMethods()} copies its registry into a new map each time.
     */
    private volatile @Nullable List<Mapped> mapped;

    DeclaredHandlers(ObjectProvider<RequestMappingHandlerMapping> handlers) {
        this.handlers = handlers;
    }

    /**
     * What the handlers of this request's path and method declare together (media types aside: a request a handler
     * refuses for its body's type is still that handler's to authorize), or null when no handler has them.
     */
    @Nullable
    Declared of(HttpServletRequest request) {
        Object known = request.getAttribute(ATTRIBUTE);
        if (known instanceof Declared declared) {
            return declared;
        }
        if (known != null) {
            return null;
        }
        Declared found = find(request);
        request.setAttribute(ATTRIBUTE, found == null ? Boolean.FALSE : found);
        return found;
    }

    private @Nullable Declared find(HttpServletRequest request) {
        boolean parsedHere = !ServletRequestPathUtils.hasParsedRequestPath(request);
        if (parsedHere) {
            ServletRequestPathUtils.parseAndCache(request);
        }
        try {
            Set<String> scopes = new LinkedHashSet<>();
            boolean quotaFree = true;
            Set<String> unlessParameters = new LinkedHashSet<>();
            for (Mapped handler : mapped()) {
                RequestMappingInfo info = handler.info();
                if (info.getPathPatternsCondition() != null
                        && info.getPathPatternsCondition().getMatchingCondition(request) != null
                        && info.getMethodsCondition().getMatchingCondition(request) != null) {
                    Declaration declaration = handler.declaration();
                    scopes.add(declaration.scope());
                    quotaFree &= declaration.quotaFree() != null;
                    if (declaration.quotaFree() != null
                            && !declaration.quotaFree().unlessParameter().isEmpty()) {
                        unlessParameters.add(declaration.quotaFree().unlessParameter());
                    }
                }
            }
            return scopes.isEmpty() ? null : new Declared(Set.copyOf(scopes), quotaFree, Set.copyOf(unlessParameters));
        } finally {
            if (parsedHere) {
                ServletRequestPathUtils.clearParsedRequestPath(request);
            }
        }
    }

    private List<Mapped> mapped() {
        List<Mapped> known = mapped;
        if (known == null) {
            known = handlers.getObject().getHandlerMethods().entrySet().stream()
                    .map(handler -> new Mapped(handler.getKey(), Declaration.of(handler.getValue())))
                    .toList();
            mapped = known;
        }
        return known;
    }

    private record Mapped(RequestMappingInfo info, Declaration declaration) {}

    /**
     * @param scopes the scopes the matching handlers declare ({@link #UNDECLARED} for one that declares none)
     * @param quotaFree every matching handler is {@link QuotaFree}
     * @param unlessParameters the {@code name=value} parameters that make such a request spend quota after all
     */
    record Declared(Set<String> scopes, boolean quotaFree, Set<String> unlessParameters) {

        /** Whether this request is answered without DingTalk quota. */
        boolean spendsNoQuota(HttpServletRequest request) {
            if (!quotaFree) {
                return false;
            }
            for (String parameter : unlessParameters) {
                int equals = parameter.indexOf('=');
                String value = request.getParameter(parameter.substring(0, equals));
                if (value != null && value.equalsIgnoreCase(parameter.substring(equals + 1))) {
                    return false;
                }
            }
            return true;
        }
    }

    private record Declaration(String scope, @Nullable QuotaFree quotaFree) {

        static Declaration of(HandlerMethod handler) {
            RequiresScope scope = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), RequiresScope.class);
            return new Declaration(
                    scope == null ? UNDECLARED : scope.value(),
                    AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), QuotaFree.class));
        }
    }
}
