package dev.dinggate.apidocs;

import dev.dinggate.problem.GatewayProblem;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The problems an API operation answers, declared on its handler: those of its kind (see {@link ProblemCatalogue})
 * and its own. The API docs list them per status; an API handler without this annotation fails the docs.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OperationProblems {

    OperationKind kind();

    /** The problems particular to this operation, in the order the docs list them within a status. */
    GatewayProblem[] value() default {};
}
