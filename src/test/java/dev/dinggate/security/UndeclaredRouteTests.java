package dev.dinggate.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.ProductionGatewayTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/** A handler that declares no scope is denied to every caller, whatever its token grants. */
class UndeclaredRouteTests extends ProductionGatewayTest {

    /** A handler as a new controller would be, had its author forgotten {@link RequiresScope}. */
    @Controller
    @RequestMapping("/api/v1/undeclared")
    @ResponseBody
    static class Undeclared {
        @GetMapping
        String open() {
            return "should never be answered";
        }

        @RequiresScope("users:read")
        @GetMapping("/declared")
        String declared() {
            return "declared";
        }
    }

    @TestConfiguration
    static class WithUndeclaredHandler {
        @Bean
        Undeclared undeclared() {
            return new Undeclared();
        }
    }

    @Test
    void aHandlerWithoutAScopeIsForbiddenEvenWithEveryScope() {
        String everyScope = jwts.token("alice", "accounts:write users:read users:write audit:read ops", "manager4220");

        GatewayHttp.Answer answer = http.send("GET", "/api/v1/undeclared", everyScope, null, null);

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.field("code")).isEqualTo("auth.forbidden");
    }

    @Test
    void theSameControllersDeclaredHandlerIsLetThrough() {
        GatewayHttp.Answer answer =
                http.send("GET", "/api/v1/undeclared/declared", jwts.token("alice", "users:read", "u"), null, null);

        assertThat(answer.status()).isEqualTo(200);
    }
}
