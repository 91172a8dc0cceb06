package dev.dinggate.web;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Actuator on its own port is served by a child context, whose server does not see the application's
 * filters: this gives its answers (and its problem details) a request id too. Imported into that context
 * alone ({@code META-INF/spring/...ManagementContextConfiguration.imports}); the application's component scan
 * leaves classes with this annotation out ({@code GatewayApplication}).
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
public class ManagementRequestIdConfiguration {

    @Bean
    FilterRegistrationBean<RequestIdFilter> managementRequestIdFilter() {
        FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
