package dev.dinggate.idempotency;

import dev.dinggate.web.ProblemResponseWriter;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** The key filter and its store. */
@Configuration(proxyBeanMethods = false)
class IdempotencyConfiguration {

    @Bean
    IdempotencyStore idempotencyStore(DataSource dataSource) {
        return new IdempotencyStore(dataSource);
    }

    /**
     * Right after Spring Security's filter chain: the key belongs to the authenticated caller, and only
     * requests the caller may make (not refused, not over the client's budget) claim one.
     */
    @Bean
    FilterRegistrationBean<IdempotencyFilter> idempotencyFilter(
            IdempotencyStore store,
            IdempotencyProperties properties,
            ProblemResponseWriter problems,
            JsonMapper json,
            ObjectProvider<Clock> clock) {
        FilterRegistrationBean<IdempotencyFilter> registration = new FilterRegistrationBean<>(
                new IdempotencyFilter(store, properties, problems, json, clock.getIfAvailable(Clock::systemUTC)));
        registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 1);
        registration.addUrlPatterns("/api/v1/*");
        return registration;
    }
}
