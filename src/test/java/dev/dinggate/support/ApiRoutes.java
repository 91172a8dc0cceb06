package dev.dinggate.support;

import dev.dinggate.apidocs.OperationKind;
import dev.dinggate.apidocs.OperationProblems;
import dev.dinggate.apidocs.RequestExample;
import dev.dinggate.security.RequiresScope;
import io.swagger.v3.oas.annotations.Operation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The API's operations as its handlers declare them: found by scanning the application's controllers, so that
 * suites which must cover every operation (access, faults, hostile input) cover a new one without being told.
 * One operation per method and path: handlers that only answer in another media type (the JSON array of
 * {@code GET /api/v1/users}) are the same operation. {@code AccessMatrixTests} checks that this is the set of
 * routes the running application serves.
 */
public final class ApiRoutes {

    private static final List<ApiRoute> ALL = discover();

    private ApiRoutes() {}

    /**
     * An operation of the API.
     *
     * @param operationId the OpenAPI operation id
     * @param path the path pattern, with {@code {variables}}
     * @param bodyExamples the example bodies it declares, JSON; empty when it takes no body
     * @param bodyFields the fields of its request body
     * @param queryParameters the names of its query parameters
     */
    public record ApiRoute(
            String operationId,
            String method,
            String path,
            String scope,
            OperationKind kind,
            boolean takesBody,
            List<String> bodyExamples,
            List<String> bodyFields,
            List<String> queryParameters) {

        /** The path with every variable set to {@code value}. */
        public String pathWith(String value) {
            return path.replaceAll("\\{[^}]+}", value);
        }

        /** A body the operation accepts: its first example; null when it takes none. */
        public @Nullable String validBody() {
            if (takesBody && bodyExamples.isEmpty()) {
                throw new AssertionError(this + " takes a body but declares no @RequestExample");
            }
            return bodyExamples.isEmpty() ? null : bodyExamples.getFirst();
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    public static List<ApiRoute> all() {
        return ALL;
    }

    public static Stream<ApiRoute> stream() {
        return ALL.stream();
    }

    private static List<ApiRoute> discover() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(RestController.class));
        Map<String, ApiRoute> routes = new LinkedHashMap<>();
        for (BeanDefinition controller : scanner.findCandidateComponents("dev.dinggate")) {
            Class<?> type =
                    ClassUtils.resolveClassName(controller.getBeanClassName(), ApiRoutes.class.getClassLoader());
            RequestMapping typeMapping = AnnotatedElementUtils.findMergedAnnotation(type, RequestMapping.class);
            String prefix = typeMapping == null || typeMapping.path().length == 0
                    ? ""
                    : typeMapping.path()[0];
            for (Method handler : type.getDeclaredMethods()) {
                RequestMapping mapping = AnnotatedElementUtils.findMergedAnnotation(handler, RequestMapping.class);
                if (mapping == null) {
                    continue;
                }
                String path = prefix + (mapping.path().length == 0 ? "" : mapping.path()[0]);
                if (!path.startsWith("/api/")) {
                    continue;
                }
                for (RequestMethod method : mapping.method()) {
                    routes.merge(method + " " + path, route(handler, method.name(), path), ApiRoutes::documented);
                }
            }
        }
        List<ApiRoute> all = new ArrayList<>(routes.values());
        all.sort(Comparator.comparing(ApiRoute::toString));
        return List.copyOf(all);
    }

    private static ApiRoute route(Method handler, String method, String path) {
        RequiresScope scope = handler.getAnnotation(RequiresScope.class);
        OperationProblems problems = handler.getAnnotation(OperationProblems.class);
        if (scope == null || problems == null) {
            throw new AssertionError(handler + " declares no @RequiresScope or no @OperationProblems");
        }
        Operation operation = handler.getAnnotation(Operation.class);
        List<String> fields = new ArrayList<>();
        List<String> query = new ArrayList<>();
        boolean takesBody = false;
        for (Parameter parameter : handler.getParameters()) {
            if (parameter.isAnnotationPresent(RequestBody.class)) {
                takesBody = true;
                fields.addAll(componentNames(parameter.getType()));
            } else if (parameter.isAnnotationPresent(RequestParam.class)) {
                RequestParam param = parameter.getAnnotation(RequestParam.class);
                query.add(param.name().isEmpty() ? parameter.getName() : param.name());
            } else if (parameter.isAnnotationPresent(ParameterObject.class)) {
                query.addAll(componentNames(parameter.getType()));
            }
        }
        return new ApiRoute(
                operation == null || operation.hidden() ? "" : operation.operationId(),
                method,
                path,
                scope.value(),
                problems.kind(),
                takesBody,
                Arrays.stream(handler.getAnnotationsByType(RequestExample.class))
                        .map(RequestExample::json)
                        .toList(),
                List.copyOf(fields),
                List.copyOf(query));
    }

    private static List<String> componentNames(Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        return components == null
                ? List.of()
                : Arrays.stream(components).map(RecordComponent::getName).toList();
    }

    /** Of two handlers of one operation (media types apart), the one the API docs describe. */
    private static ApiRoute documented(ApiRoute first, ApiRoute second) {
        return first.operationId().isEmpty() ? second : first;
    }
}
