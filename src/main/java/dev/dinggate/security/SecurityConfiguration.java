package dev.dinggate.security;

import dev.dinggate.budget.Budgets;
import dev.dinggate.web.ProblemResponseWriter;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * One filter chain: the open and operator routes are listed here; every API route is allowed by the scope its
 * handler declares with {@link RequiresScope}, and denied when it declares none. An authenticated caller of a
 * route that does not exist learns so (404, 405) instead of 403.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    SecurityFilterChain gatewaySecurity(
            HttpSecurity http,
            AuthenticationMechanism mechanism,
            ProblemResponseWriter problemWriter,
            InboundProperties inbound,
            GatewaySecurityProperties identity,
            Budgets budgets,
            ObjectProvider<QuotaFreeAnswers> quotaFreeAnswers,
            ObjectProvider<Clock> clock,
            @Qualifier("requestMappingHandlerMapping") ObjectProvider<RequestMappingHandlerMapping> handlers)
            throws Exception {
        DeclaredHandlers declared = new DeclaredHandlers(handlers);
        if (inbound.rateLimit().enabled()) {
            // After authorization: only requests the caller may make count against its budget.
            http.addFilterAfter(
                    new ClientRateLimitFilter(
                            inbound,
                            budgets,
                            declared,
                            quotaFreeAnswers.getIfAvailable(() -> () -> false),
                            clock.getIfAvailable(Clock::systemUTC),
                            new CallerArgumentResolver(identity.dingtalkUserIdClaim()),
                            problemWriter),
                    AuthorizationFilter.class);
        }
        http.cors(cors -> cors.configurationSource(corsConfiguration(inbound.corsAllowedOrigins())))
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .authorizeHttpRequests(routes -> routes.dispatcherTypeMatchers(DispatcherType.ERROR)
                        .permitAll()
                        .requestMatchers(
                                "/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus")
                        .permitAll()
                        .requestMatchers("/actuator/**")
                        .hasAuthority("SCOPE_ops")
                        // API docs are for the internal web-app teams; they describe, they change nothing.
                        .requestMatchers(
                                HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                        .permitAll()
                        .requestMatchers(
                                HttpMethod.HEAD,
                                "/v3/api-docs",
                                "/v3/api-docs/**",
                                "/swagger-ui.html",
                                "/swagger-ui/**")
                        .permitAll()
                        // Everything else is decided by what its handler declares (RequiresScope): no
                        // declaration, no access; no handler, Spring MVC's 404 or 405 for a caller with a token.
                        .anyRequest()
                        .access(new DeclaredScopeAuthorization(declared)));
        mechanism.configure(http, new ProblemSecurityHandlers(problemWriter));
        return http.build();
    }

    /**
     * Internal web apps call the API from browsers: only the configured origins may, with bearer tokens
     * (no cookies, so no credentials mode). With no origin configured, no cross-origin call is allowed.
     */
    private static CorsConfigurationSource corsConfiguration(List<String> allowedOrigins) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (!allowedOrigins.isEmpty()) {
            CorsConfiguration cors = new CorsConfiguration();
            cors.setAllowedOrigins(allowedOrigins);
            cors.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE"));
            cors.setAllowedHeaders(
                    List.of("Authorization", "Content-Type", "Accept", "X-Request-Id", "Idempotency-Key"));
            cors.setExposedHeaders(List.of("X-Request-Id", "Retry-After", "Location", "Idempotency-Replayed"));
            cors.setMaxAge(Duration.ofHours(1));
            source.registerCorsConfiguration("/api/**", cors);
        }
        return source;
    }

    /**
     * No observations of Security's filters, authentication and authorization: with observations merely
     * disabled by property each filter is still wrapped and each request still builds the no-op
     * observations (docs/benchmarks.md); http_server_requests_seconds still times every request.
     */
    @Bean
    static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /** Spring Security's strict firewall, its header checks without regular expressions (see HeaderFirewall). */
    @Bean
    HttpFirewall httpFirewall() {
        return HeaderFirewall.strict();
    }

    @Bean
    WebMvcConfigurer callerArgument(GatewaySecurityProperties properties) {
        return new WebMvcConfigurer() {
            @Override
            public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                resolvers.add(new CallerArgumentResolver(properties.dingtalkUserIdClaim()));
            }
        };
    }
}
