package dev.dinggate.web;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Actuator on its own port is served by a child context, whose server does not see the application's
 * filters: this gives its answers (and its problem details) a request id too.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
public class ManagementRequestIdConfiguration {

    @Bean
    FilterRegistrationBean<RequestIdFilter> managementRequestIdFilter(ApplicationContext context) {
        FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        // Component scanning finds this class in the application's context as well, which has the filter already.
        registration.setEnabled(context.getParent() != null);
        return registration;
    }
}
