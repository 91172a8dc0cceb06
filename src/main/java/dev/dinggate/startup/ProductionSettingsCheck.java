package dev.dinggate.startup;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Profiles;

/**
 * Refuses to start the {@code production} profile without DingTalk credentials and a way to check
 * JWTs, before any bean fails on its own with a less helpful message. Runs once the configuration
 * files are loaded, so it sees every property source.
 */
class ProductionSettingsCheck implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.acceptsProfiles(Profiles.of("production"))) {
            return;
        }
        List<String> missing = new ArrayList<>();
        if (environment.acceptsProfiles(Profiles.of("sandbox"))) {
            missing.add("the sandbox profile switched off (it must never run beside production)");
        }
        requireAny(environment, missing, "dingtalk.app-key (env DINGTALK_APP_KEY)", "dingtalk.app-key");
        requireAny(environment, missing, "dingtalk.app-secret (env DINGTALK_APP_SECRET)", "dingtalk.app-secret");
        requireAny(environment, missing,
                "spring.security.oauth2.resourceserver.jwt.issuer-uri or .jwk-set-uri or .public-key-location",
                "spring.security.oauth2.resourceserver.jwt.issuer-uri",
                "spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
                "spring.security.oauth2.resourceserver.jwt.public-key-location");
        if (!missing.isEmpty()) {
            throw new ProductionSettingsMissingException(missing);
        }
    }

    private static void requireAny(ConfigurableEnvironment environment, List<String> missing, String description,
            String... properties) {
        for (String property : properties) {
            String value = environment.getProperty(property);
            if (value != null && !value.isBlank()) {
                return;
            }
        }
        missing.add(description);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
