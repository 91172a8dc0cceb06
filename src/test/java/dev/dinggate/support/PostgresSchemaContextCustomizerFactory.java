package dev.dinggate.support;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Points the datasource of a {@link NeedsPostgres} test's context at the class's own schema. Its
 * settings rank below the test's own properties ({@code @TestPropertySource}, {@code @DynamicPropertySource}),
 * so a test may still route the connection elsewhere (through a proxy it can cut, say), and above the
 * application's configuration files.
 */
public class PostgresSchemaContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public @Nullable ContextCustomizer createContextCustomizer(
            Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        return TestContextAnnotationUtils.hasAnnotation(testClass, NeedsPostgres.class)
                ? new SchemaOfTestClass(testClass)
                : null;
    }

    /** One per test class, so each class gets a context, and a schema, of its own. */
    private record SchemaOfTestClass(Class<?> testClass) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            TestPostgres.Schema schema = TestPostgres.schemaFor(testClass);
            PropertySource<?> settings = new MapPropertySource(
                    "testPostgresSchema",
                    Map.of(
                            "spring.datasource.url", schema.jdbcUrl(),
                            "spring.datasource.username", schema.server().user(),
                            "spring.datasource.password", schema.server().password()));
            addBelowTestProperties(context.getEnvironment().getPropertySources(), settings);
            context.addApplicationListener(new DropSchemaOnClose(context, testClass));
        }

        private static void addBelowTestProperties(MutablePropertySources sources, PropertySource<?> settings) {
            for (PropertySource<?> source : sources) {
                if (source.getName().startsWith("Config resource")) {
                    sources.addBefore(source.getName(), settings);
                    return;
                }
            }
            sources.addLast(settings);
        }
    }

    private record DropSchemaOnClose(ConfigurableApplicationContext context, Class<?> testClass)
            implements ApplicationListener<ContextClosedEvent> {

        @Override
        public void onApplicationEvent(ContextClosedEvent event) {
            if (event.getApplicationContext() == context) {
                TestPostgres.drop(testClass);
            }
        }
    }
}
