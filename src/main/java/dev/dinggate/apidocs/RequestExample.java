package dev.dinggate.apidocs;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An example request body of the operation, shown in the API docs; the test suites send the first one as a valid
 * request. Every operation with a request body declares at least one.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(RequestExample.List.class)
public @interface RequestExample {

    /** The example's name in the docs. */
    String name();

    /** The body, as JSON. */
    String json();

    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface List {
        RequestExample[] value();
    }
}
