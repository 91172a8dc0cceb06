package dev.dinggate.startup;

import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

/**
 * Refuses to start the {@code production} profile without DingTalk credentials and a way to check
 * JWTs, before any bean fails on its own with a less helpful message. As a bean factory post
 * processor it runs once every property source is in place and before any other bean is built.
 */
@Component
@Profile("production")
class ProductionSettingsCheck implements BeanFactoryPostProcessor, EnvironmentAware {

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        List<String> missing = new ArrayList<>();
        if (environment.acceptsProfiles(Profiles.of("sandbox"))) {
            missing.add("the sandbox profile switched off (it must never run beside production)");
        }
        requireAny(environment, missing, "dingtalk.app-key (env DINGTALK_APP_KEY)", "dingtalk.app-key");
        requireAny(environment, missing, "dingtalk.app-secret (env DINGTALK_APP_SECRET)", "dingtalk.app-secret");
        requireAny(
                environment,
                missing,
                "spring.security.oauth2.resourceserver.jwt.issuer-uri or .jwk-set-uri or .public-key-location",
                "spring.security.oauth2.resourceserver.jwt.issuer-uri",
                "spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
                "spring.security.oauth2.resourceserver.jwt.public-key-location");
        requireAny(
                environment, missing, "spring.datasource.url (the audit store, PostgreSQL)", "spring.datasource.url");
        if (!missing.isEmpty()) {
            throw new ProductionSettingsMissingException(missing);
        }
    }

    private static void requireAny(
            Environment environment, List<String> missing, String description, String... properties) {
        for (String property : properties) {
            String value = environment.getProperty(property);
            if (value != null && !value.isBlank()) {
                return;
            }
        }
        missing.add(description);
    }
}
