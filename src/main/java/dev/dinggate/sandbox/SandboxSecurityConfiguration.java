package dev.dinggate.sandbox;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.SecurityFilterChain;

/** The simulator stands in for DingTalk, which checks its own access tokens: the gateway's login does not apply. */
@Configuration(proxyBeanMethods = false)
@Profile("sandbox")
class SandboxSecurityConfiguration {

    @Bean
    @Order(1)
    SecurityFilterChain dingTalkSimulatorSecurity(HttpSecurity http) throws Exception {
        return http.securityMatcher("/sandbox/dingtalk/**")
                .csrf(AbstractHttpConfigurer::disable)
                .authorizeHttpRequests(routes -> routes.anyRequest().permitAll())
                .build();
    }
}
