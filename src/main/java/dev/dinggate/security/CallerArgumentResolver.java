package dev.dinggate.security;

import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Supplies {@link Caller} parameters from the authenticated principal. The caller's DingTalk
 * userId comes from the token (or the sandbox user), never from the request.
 */
class CallerArgumentResolver implements HandlerMethodArgumentResolver {

    private static final String SCOPE_PREFIX = "SCOPE_";

    private final String dingTalkUserIdClaim;

    CallerArgumentResolver(String dingTalkUserIdClaim) {
        this.dingTalkUserIdClaim = dingTalkUserIdClaim;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class;
    }

    @Override
    public Caller resolveArgument(
            MethodParameter parameter,
            @Nullable ModelAndViewContainer mav,
            NativeWebRequest request,
            @Nullable WebDataBinderFactory binders) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()) {
            throw new AuthenticationCredentialsNotFoundException("no authenticated caller");
        }
        return from(authentication);
    }

    Caller from(Authentication authentication) {
        Set<String> scopes = authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(authority -> authority != null && authority.startsWith(SCOPE_PREFIX))
                .map(authority -> authority.substring(SCOPE_PREFIX.length()))
                .collect(Collectors.toUnmodifiableSet());
        if (authentication instanceof JwtAuthenticationToken token) {
            Jwt jwt = token.getToken();
            return new Caller(
                    token.getName(), Caller.clientIdOf(jwt), jwt.getClaimAsString(dingTalkUserIdClaim), scopes);
        }
        if (authentication.getPrincipal() instanceof SandboxPrincipal user) {
            return new Caller(user.getUsername(), "sandbox", user.dingTalkUserId(), scopes);
        }
        return new Caller(authentication.getName(), null, null, scopes);
    }
}
