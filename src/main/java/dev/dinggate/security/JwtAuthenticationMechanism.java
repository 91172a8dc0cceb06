package dev.dinggate.security;

import dev.dinggate.web.ProblemResponseWriter;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Profile;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.stereotype.Component;

/**
 * Production: an OAuth2 resource server accepting JWTs from the company identity provider
 * ({@code spring.security.oauth2.resourceserver.jwt.*}); scopes come from {@code scope} or {@code scp}.
 */
@Component
@Profile("production")
class JwtAuthenticationMechanism implements AuthenticationMechanism {

    /** Far more than the internal apps' live tokens; bounds memory at a few MB if something mints a token per call. */
    private static final long MAX_CACHED_TOKENS = 10_000;

    private final JwtDecoder decoder;
    private final ProblemResponseWriter problemWriter;

    /** Spring Boot's decoder (issuer, audiences, JWK set from the properties), behind the cache of verified tokens. */
    JwtAuthenticationMechanism(
            JwtDecoder bootDecoder,
            GatewaySecurityProperties properties,
            ObjectProvider<Clock> clock,
            ProblemResponseWriter problemWriter) {
        Duration maxAge = properties.verifiedTokenCacheTime();
        JwtDecoder guarded = new IdentityProviderGuard(bootDecoder);
        this.decoder = maxAge.isPositive()
                ? new VerifiedJwtCache(guarded, maxAge, MAX_CACHED_TOKENS, clock.getIfAvailable(Clock::systemUTC))
                : guarded;
        this.problemWriter = problemWriter;
    }

    @Override
    public void configure(HttpSecurity http, ProblemSecurityHandlers problems) throws Exception {
        var entryPoint = problems.entryPoint(new BearerTokenAuthenticationEntryPoint());
        var accessDenied = problems.accessDeniedHandler(new BearerTokenAccessDeniedHandler());
        http.addFilterBefore(
                new IdentityProviderUnavailableFilter(problemWriter), BearerTokenAuthenticationFilter.class);
        http.oauth2ResourceServer(server -> server.bearerTokenResolver(new BearerHeaderResolver())
                        .jwt(jwt -> jwt.decoder(decoder))
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(accessDenied))
                .exceptionHandling(handling ->
                        handling.authenticationEntryPoint(entryPoint).accessDeniedHandler(accessDenied));
    }
}
