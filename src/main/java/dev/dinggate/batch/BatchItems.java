package dev.dinggate.batch;

import dev.dinggate.contact.CreateUserRequest;
import dev.dinggate.contact.UpdateUserRequest;
import dev.dinggate.contact.UserService;
import dev.dinggate.orgaccount.ChangeDingTalkIdRequest;
import dev.dinggate.orgaccount.VisibilityRequest;
import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.problem.GatewayProblemException;
import dev.dinggate.problem.InvalidFields;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and validates a batch's items exactly as the single endpoints read and validate their requests:
 * the same request records, the same Bean Validation, the same code per mistake ({@link InvalidAs}), and
 * the same local checks of the feature service; so an invalid item gets the code it would get alone.
 */
@Component
class BatchItems {

    /** The path variable {@code userId} of the single calls. */
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final JsonMapper json;
    private final Validator validator;
    private final UserService users;

    BatchItems(JsonMapper json, Validator validator, UserService users) {
        this.json = json;
        this.validator = validator;
        this.users = users;
    }

    /** Why an item is refused: the problem and detail its single call would have answered with. */
    static final class InvalidItem extends RuntimeException {
        private final GatewayProblem problem;

        InvalidItem(GatewayProblem problem, String detail) {
            super(detail);
            this.problem = problem;
        }

        GatewayProblem problem() {
            return problem;
        }
    }

    /** The item, read and validated; an {@link InvalidItem} when its single call would be refused as sent. */
    BatchItem read(JsonNode item) {
        if (!item.isObject()) {
            throw new InvalidItem(GatewayProblem.REQUEST_MALFORMED, "An item is a JSON object with an operation.");
        }
        JsonNode name = item.get("operation");
        if (name == null || !name.isString()) {
            throw new InvalidItem(
                    GatewayProblem.REQUEST_INVALID, "operation is required: one of " + BatchOperation.names() + ".");
        }
        BatchOperation operation = BatchOperation.named(name.asString())
                .orElseThrow(() -> new InvalidItem(
                        GatewayProblem.REQUEST_INVALID, "operation must be one of " + BatchOperation.names() + "."));
        for (Map.Entry<String, JsonNode> field : item.properties()) {
            if (!field.getKey().equals("operation") && !operation.fields().contains(field.getKey())) {
                throw new InvalidItem(
                        GatewayProblem.REQUEST_UNKNOWN_FIELD,
                        "The field '" + field.getKey() + "' is not part of a " + operation.wireName() + " item.");
            }
        }
        return switch (operation) {
            case CHANGE_DINGTALK_ID -> {
                ObjectNode body = json.createObjectNode();
                if (item.has("dingTalkId")) {
                    body.set("dingTalkId", item.get("dingTalkId"));
                }
                ChangeDingTalkIdRequest request = convert(body, ChangeDingTalkIdRequest.class);
                yield new BatchItem.ChangeDingTalkId(validUserId(item, request), checked(request));
            }
            case MAKE_VISIBLE -> {
                ObjectNode body = json.createObjectNode();
                for (String field : List.of("corpIds", "fields")) {
                    if (item.has(field)) {
                        body.set(field, item.get(field));
                    }
                }
                yield new BatchItem.MakeVisible(checked(convert(body, VisibilityRequest.class)));
            }
            case CREATE_USER -> {
                CreateUserRequest request = checked(convert(object(item, "user"), CreateUserRequest.class));
                local(() -> users.checkCreate(request));
                yield new BatchItem.CreateUser(request);
            }
            case UPDATE_USER -> {
                UpdateUserRequest request = convert(object(item, "changes"), UpdateUserRequest.class);
                String userId = validUserId(item, request);
                checked(request);
                local(() -> users.checkUpdate(request));
                yield new BatchItem.UpdateUser(userId, request);
            }
            case DELETE_USER -> new BatchItem.DeleteUser(validUserId(item, null));
        };
    }

    /** The item's {@code userId}, checked as the single call checks its path; with the body's own mistakes. */
    private String validUserId(JsonNode item, @Nullable Object body) {
        JsonNode userId = item.get("userId");
        if (userId != null
                && userId.isString()
                && USER_ID.matcher(userId.asString()).matches()) {
            return userId.asString();
        }
        List<String> problems = new ArrayList<>();
        problems.add("userId must be 1 to 64 letters, digits, '_' or '-'");
        if (body != null) {
            validator.validate(body).stream().map(BatchItems::describe).sorted().forEach(problems::add);
        }
        // A failed path variable has no owner: the single call answers request.invalid, whatever the body.
        throw new InvalidItem(GatewayProblem.REQUEST_INVALID, String.join("; ", problems) + ".");
    }

    private JsonNode object(JsonNode item, String field) {
        JsonNode value = item.get(field);
        if (value == null || !value.isObject()) {
            throw new InvalidItem(
                    GatewayProblem.REQUEST_MALFORMED, field + " is required: the body of the single call.");
        }
        return value;
    }

    private <T> T convert(JsonNode body, Class<T> type) {
        try {
            return json.treeToValue(body, type);
        } catch (UnrecognizedPropertyException unknown) {
            throw new InvalidItem(
                    GatewayProblem.REQUEST_UNKNOWN_FIELD,
                    "The field '" + unknown.getPropertyName() + "' is not part of this request.");
        } catch (JacksonException malformed) {
            throw new InvalidItem(
                    GatewayProblem.REQUEST_MALFORMED, "The item is missing a value, or has a value of the wrong type.");
        }
    }

    /** Bean Validation as the web layer applies it: one {@code InvalidAs} code if every failed field names it. */
    private <T> T checked(T request) {
        Set<ConstraintViolation<T>> violations = validator.validate(request);
        if (violations.isEmpty()) {
            return request;
        }
        GatewayProblem owner = InvalidFields.commonProblem(
                request.getClass(),
                violations.stream()
                        .map(violation -> violation.getPropertyPath().toString())
                        .toList());
        GatewayProblem problem = owner == null ? GatewayProblem.REQUEST_INVALID : owner;
        throw new InvalidItem(
                problem,
                String.join(
                                "; ",
                                violations.stream()
                                        .map(BatchItems::describe)
                                        .sorted()
                                        .toList()) + ".");
    }

    private static String describe(ConstraintViolation<?> violation) {
        return violation.getPropertyPath() + " " + violation.getMessage();
    }

    /** The feature's own checks before anything is recorded (a mobile number, an empty patch). */
    private static void local(Runnable check) {
        try {
            check.run();
        } catch (GatewayProblemException refused) {
            throw new InvalidItem(refused.problem(), refused.getMessage());
        }
    }
}
