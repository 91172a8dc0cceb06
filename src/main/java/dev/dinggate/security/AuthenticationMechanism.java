package dev.dinggate.security;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;

/** How callers prove who they are; one implementation per profile. */
interface AuthenticationMechanism {

    void configure(HttpSecurity http, ProblemSecurityHandlers problems) throws Exception;
}
