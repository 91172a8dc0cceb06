package dev.dinggate.dingtalk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** How operators name an API's own budget: by the API's name, dots and capitals included. */
class DingTalkPropertiesTests {

    private static DingTalkProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("dingtalk", DingTalkProperties.class);
    }

    @Test
    void anApisOwnBudgetIsFoundByItsName() {
        DingTalkProperties properties = bind(Map.of(
                "dingtalk.rate-limit.qps",
                "20",
                "dingtalk.rate-limit.per-api.[contact.user.getByUnionId]",
                "40",
                "dingtalk.rate-limit.per-api.contact.user.list",
                "30"));

        assertThat(properties.rateLimit().qpsOf("contact.user.getByUnionId")).isEqualTo(40);
        assertThat(properties.rateLimit().qpsOf("contact.user.list")).isEqualTo(30);
        assertThat(properties.rateLimit().qpsOf("contact.user.get")).isEqualTo(20);
    }
}
