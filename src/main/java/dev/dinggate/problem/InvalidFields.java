package dev.dinggate.problem;

import java.lang.reflect.Field;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ReflectionUtils;

/**
 * Which problem a request's failed fields are answered with: the one they all name with {@link InvalidAs}, so
 * that a mistake has one code wherever it is caught (a single call, a batch's item).
 */
public final class InvalidFields {

    private InvalidFields() {}

    /**
     * The problem every failed field of {@code type} names, or null when one of them names none, they name
     * different ones, or none failed. A path names its field first: {@code corpIds[2]} is the field corpIds.
     */
    public static @Nullable GatewayProblem commonProblem(Class<?> type, Collection<String> failedPaths) {
        Set<GatewayProblem> problems = new HashSet<>();
        for (String path : failedPaths) {
            Field field = ReflectionUtils.findField(type, path.split("[.\\[]", 2)[0]);
            InvalidAs owner = field == null ? null : field.getAnnotation(InvalidAs.class);
            if (owner == null) {
                return null;
            }
            problems.add(owner.value());
        }
        return problems.size() == 1 ? problems.iterator().next() : null;
    }
}
