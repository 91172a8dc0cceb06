package dev.dinggate.web;

import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.problem.GatewayProblemException;
import dev.dinggate.problem.InvalidAs;
import dev.dinggate.problem.InvalidFields;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.BindingResult;
import org.springframework.validation.Errors;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every failure into an {@code application/problem+json} answer with a stable {@code code}
 * and the {@code requestId}; DingTalk's code and request id are passed on where it answered.
 * Stack traces go to the log, never to the caller.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @ExceptionHandler({GatewayProblemException.class, DingTalkException.class})
    ResponseEntity<ProblemDetail> knownFailure(RuntimeException failure, HttpServletRequest request) {
        Problems.Answer answer = Problems.forFailure(failure, request);
        DingTalkException upstream = failure instanceof GatewayProblemException problem
                ? problem.upstream()
                : failure instanceof DingTalkException unexplained ? unexplained : null;
        if (upstream != null) {
            log.warn(
                    "{} -> {}",
                    upstream.getMessage(),
                    answer.body().getProperties().get("code"));
        }
        ResponseEntity.BodyBuilder response =
                ResponseEntity.status(answer.body().getStatus());
        if (answer.retryAfter() != null) {
            response.header(
                    HttpHeaders.RETRY_AFTER,
                    Long.toString(Math.max(1, answer.retryAfter().toSeconds())));
        }
        return response.body(answer.body());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception failure, HttpServletRequest request) {
        log.error("Unexpected failure", failure);
        return ResponseEntity.internalServerError().body(Problems.of(GatewayProblem.INTERNAL_ERROR, request));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException failure, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = failure.getBindingResult().getFieldErrors().stream()
                .map(error -> fieldError(error.getField(), error))
                .toList();
        BindingResult body = failure.getBindingResult();
        return invalid(errors, commonOwner(List.of(new FailedBody(body.getTarget(), body))), request);
    }

    /**
     * The problem every failed field names with {@link InvalidAs}, if they all name the same one; a failed
     * parameter that is no body (a path variable, say) has no owner.
     */
    private static @Nullable GatewayProblem commonOwner(List<FailedBody> failedBodies) {
        Set<GatewayProblem> problems = new HashSet<>();
        for (FailedBody body : failedBodies) {
            if (body.target() == null
                    || body.errors().hasGlobalErrors()
                    || !body.errors().hasFieldErrors()) {
                return null;
            }
            GatewayProblem problem = InvalidFields.commonProblem(
                    body.target().getClass(),
                    body.errors().getFieldErrors().stream()
                            .map(FieldError::getField)
                            .toList());
            if (problem == null) {
                return null;
            }
            problems.add(problem);
        }
        return problems.size() == 1 ? problems.iterator().next() : null;
    }

    /** A request body that failed validation, and how. */
    private record FailedBody(@Nullable Object target, Errors errors) {}

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException failure, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = failure.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream()
                        .map(error -> fieldError(result.getMethodParameter().getParameterName(), error)))
                .toList();
        boolean onlyBodies =
                failure.getParameterValidationResults().stream().allMatch(ParameterErrors.class::isInstance);
        List<FailedBody> bodies = failure.getParameterValidationResults().stream()
                .filter(ParameterErrors.class::isInstance)
                .map(ParameterErrors.class::cast)
                .map(body -> new FailedBody(body.getArgument(), body))
                .toList();
        return invalid(errors, onlyBodies ? commonOwner(bodies) : null, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException failure, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        HttpServletRequest servletRequest = servletRequest(request);
        ProblemDetail body;
        if (causeOf(failure, PayloadTooLargeException.class) instanceof PayloadTooLargeException tooLarge) {
            String refused = tooLarge.getMessage() != null ? "A " + tooLarge.getMessage() + " is refused." : "";
            body = Problems.of(GatewayProblem.REQUEST_TOO_LARGE, refused, servletRequest);
        } else if (causeOf(failure, UnrecognizedPropertyException.class)
                instanceof UnrecognizedPropertyException unknown) {
            body = Problems.of(
                    GatewayProblem.REQUEST_UNKNOWN_FIELD,
                    "The field '" + unknown.getPropertyName() + "' is not part of this request.",
                    servletRequest);
        } else {
            body = Problems.of(GatewayProblem.REQUEST_MALFORMED, servletRequest);
        }
        return ResponseEntity.status(body.getStatus()).body(body);
    }

    /** Everything else Spring MVC reports (404, 405, 415, ...) gets the gateway's fields too. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception failure, @Nullable Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(failure, body, headers, status, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem) {
            String title = problem.getTitle() != null ? problem.getTitle() : "Request not handled";
            Problems.decorate(problem, GatewayProblem.forStatus(status.value()), title, servletRequest(request));
        }
        return response;
    }

    private ResponseEntity<Object> invalid(
            List<Map<String, String>> errors, @Nullable GatewayProblem owner, WebRequest request) {
        GatewayProblem problem = owner == null ? GatewayProblem.REQUEST_INVALID : owner;
        ProblemDetail body =
                Problems.of(problem, "The request has invalid values; see errors.", servletRequest(request));
        body.setProperty("errors", errors);
        return ResponseEntity.badRequest().body(body);
    }

    private static Map<String, String> fieldError(String field, MessageSourceResolvable error) {
        String message = error.getDefaultMessage() != null ? error.getDefaultMessage() : "is invalid";
        String name = field;
        if (error instanceof FieldError fieldError) {
            name = fieldError.getField();
            // A conversion failure's default message is a Java type error, not something to show a caller.
            message = fieldError.isBindingFailure() ? "is not a valid value" : message;
        }
        return Map.of("field", name, "message", message);
    }

    private static HttpServletRequest servletRequest(WebRequest request) {
        return ((NativeWebRequest) request).getNativeRequest(HttpServletRequest.class);
    }

    /** Jackson wraps what it read from (the size-limited body) or found (an unknown field): the innermost cause. */
    private static @Nullable Throwable causeOf(Throwable failure, Class<? extends Throwable> type) {
        Throwable innermost = NestedExceptionUtils.getMostSpecificCause(failure);
        return type.isInstance(innermost) ? innermost : null;
    }
}
