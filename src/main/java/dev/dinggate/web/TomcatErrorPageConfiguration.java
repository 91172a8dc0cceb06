package dev.dinggate.web;

import org.apache.catalina.Context;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Puts {@link ProblemErrorReportValve} in place of Tomcat's HTML error report. */
@Configuration(proxyBeanMethods = false)
class TomcatErrorPageConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
        // The host adds its error report valve when it starts, before its contexts: swap it afterwards.
        return factory -> factory.addContextLifecycleListeners(event -> {
            if (Lifecycle.AFTER_START_EVENT.equals(event.getType())
                    && event.getLifecycle() instanceof Context context
                    && context.getParent() != null) {
                var pipeline = context.getParent().getPipeline();
                for (Valve valve : pipeline.getValves()) {
                    if (valve instanceof ErrorReportValve && !(valve instanceof ProblemErrorReportValve)) {
                        pipeline.removeValve(valve);
                        pipeline.addValve(new ProblemErrorReportValve());
                    }
                }
            }
        });
    }
}
