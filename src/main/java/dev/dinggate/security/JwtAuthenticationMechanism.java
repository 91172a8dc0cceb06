package dev.dinggate.security;

import org.springframework.context.annotation.Profile;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.stereotype.Component;

/**
 * Production: an OAuth2 resource server accepting JWTs from the company identity provider
 * ({@code spring.security.oauth2.resourceserver.jwt.*}); scopes come from {@code scope} or {@code scp}.
 */
@Component
@Profile("production")
class JwtAuthenticationMechanism implements AuthenticationMechanism {

    @Override
    public void configure(HttpSecurity http, ProblemSecurityHandlers problems) throws Exception {
        var entryPoint = problems.entryPoint(new BearerTokenAuthenticationEntryPoint());
        var accessDenied = problems.accessDeniedHandler(new BearerTokenAccessDeniedHandler());
        http.oauth2ResourceServer(server -> server.jwt(Customizer.withDefaults())
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(accessDenied))
                .exceptionHandling(handling -> handling.authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(accessDenied));
    }
}
