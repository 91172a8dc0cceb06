package dev.dinggate.security;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;

/** Sandbox: HTTP Basic users from {@code gateway.security.sandbox-users}, each with scopes and a DingTalk userId. */
@Configuration(proxyBeanMethods = false)
@Profile("sandbox")
class SandboxAuthenticationMechanism implements AuthenticationMechanism {

    static final String REALM = "dingtalk-gateway-sandbox";

    @Override
    public void configure(HttpSecurity http, ProblemSecurityHandlers problems) throws Exception {
        BasicAuthenticationEntryPoint basic = new BasicAuthenticationEntryPoint();
        basic.setRealmName(REALM);
        basic.afterPropertiesSet();
        var entryPoint = problems.entryPoint(basic);
        var accessDenied = problems.accessDeniedHandler(new AccessDeniedHandlerImpl());
        http.httpBasic(httpBasic -> httpBasic.authenticationEntryPoint(entryPoint))
                .exceptionHandling(handling ->
                        handling.authenticationEntryPoint(entryPoint).accessDeniedHandler(accessDenied));
    }

    @Bean
    UserDetailsService sandboxUsers(GatewaySecurityProperties properties) {
        Map<String, GatewaySecurityProperties.SandboxUser> users = properties.sandboxUsers().stream()
                .collect(Collectors.toUnmodifiableMap(
                        GatewaySecurityProperties.SandboxUser::username, Function.identity()));
        // A fresh principal per look-up: Spring Security erases the password of the one it authenticates.
        return username -> {
            GatewaySecurityProperties.SandboxUser user = users.get(username);
            if (user == null) {
                throw new UsernameNotFoundException("no sandbox user " + username);
            }
            return new SandboxPrincipal(
                    user.username(),
                    user.password(),
                    user.scopes().stream()
                            .map(scope -> new SimpleGrantedAuthority("SCOPE_" + scope))
                            .toList(),
                    user.dingtalkUserId());
        };
    }
}
