package dev.dinggate.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The annotated test class runs on PostgreSQL ({@link TestPostgres}) in a schema of its own. In a
 * Spring test the gateway's datasource points at that schema ({@link PostgresSchemaContextCustomizerFactory}),
 * so Flyway migrates it as in production; it is dropped when the class's context closes.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(PostgresCondition.class)
public @interface NeedsPostgres {}
