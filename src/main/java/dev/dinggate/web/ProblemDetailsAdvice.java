package dev.dinggate.web;

import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.problem.GatewayProblemException;
import dev.dinggate.problem.InvalidAs;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.util.ReflectionUtils;
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
        if (failure instanceof DingTalkException upstream) {
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
        return ResponseEntity.internalServerError()
                .body(Problems.of(
                        HttpStatus.INTERNAL_SERVER_ERROR,
                        "internal.error",
                        "Internal error",
                        "The gateway failed unexpectedly; quote the requestId to operators.",
                        request));
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
    private static @Nullable InvalidAs commonOwner(List<FailedBody> failedBodies) {
        Set<InvalidAs> owners = new HashSet<>();
        for (FailedBody body : failedBodies) {
            if (body.target() == null
                    || body.errors().hasGlobalErrors()
                    || !body.errors().hasFieldErrors()) {
                return null;
            }
            for (FieldError error : body.errors().getFieldErrors()) {
                // "corpIds[2]" is a constraint on an element of the corpIds field.
                String name = error.getField().split("[.\\[]", 2)[0];
                Field field = ReflectionUtils.findField(body.target().getClass(), name);
                InvalidAs owner = field == null ? null : field.getAnnotation(InvalidAs.class);
                if (owner == null) {
                    return null;
                }
                owners.add(owner);
            }
        }
        return owners.size() == 1 ? owners.iterator().next() : null;
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
        if (hasCause(failure, PayloadTooLargeException.class)) {
            body = Problems.of(
                    HttpStatus.CONTENT_TOO_LARGE,
                    "request.too-large",
                    "Request body too large",
                    causeMessage(failure, PayloadTooLargeException.class),
                    servletRequest);
        } else if (findCause(failure, UnrecognizedPropertyException.class)
                instanceof UnrecognizedPropertyException unknown) {
            body = Problems.of(
                    HttpStatus.BAD_REQUEST,
                    "request.unknown-field",
                    "Unknown field in request",
                    "The field '" + unknown.getPropertyName() + "' is not part of this request.",
                    servletRequest);
        } else {
            body = Problems.of(
                    HttpStatus.BAD_REQUEST,
                    "request.malformed",
                    "Malformed request body",
                    "The request body is missing, is not JSON, or has a value of the wrong type.",
                    servletRequest);
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
            Problems.decorate(problem, codeFor(status), title, servletRequest(request));
        }
        return response;
    }

    private ResponseEntity<Object> invalid(
            List<Map<String, String>> errors, @Nullable InvalidAs owner, WebRequest request) {
        ProblemDetail body = owner == null
                ? Problems.of(
                        HttpStatus.BAD_REQUEST,
                        "request.invalid",
                        "Invalid request",
                        "The request has invalid values; see errors.",
                        servletRequest(request))
                : Problems.of(
                        HttpStatus.BAD_REQUEST,
                        owner.code(),
                        owner.title(),
                        "The request has invalid values; see errors.",
                        servletRequest(request));
        body.setProperty("errors", errors);
        return ResponseEntity.badRequest().body(body);
    }

    private static Map<String, String> fieldError(
            String field, org.springframework.context.MessageSourceResolvable error) {
        String message = error.getDefaultMessage() != null ? error.getDefaultMessage() : "is invalid";
        String name = field;
        if (error instanceof FieldError fieldError) {
            name = fieldError.getField();
            // A conversion failure's default message is a Java type error, not something to show a caller.
            message = fieldError.isBindingFailure() ? "is not a valid value" : message;
        }
        return Map.of("field", name, "message", message);
    }

    private static String codeFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> "request.invalid";
            case 404 -> "request.not-found";
            case 405 -> "request.method-not-allowed";
            case 406 -> "request.not-acceptable";
            case 413 -> "request.too-large";
            case 415 -> "request.unsupported-media-type";
            default -> status.is5xxServerError() ? "internal.error" : "request.rejected";
        };
    }

    private static HttpServletRequest servletRequest(WebRequest request) {
        return ((NativeWebRequest) request).getNativeRequest(HttpServletRequest.class);
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        return findCause(failure, type) != null;
    }

    private static @Nullable Throwable findCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }

    private static String causeMessage(Throwable failure, Class<? extends Throwable> type) {
        Throwable cause = findCause(failure, type);
        return cause != null && cause.getMessage() != null ? "A " + cause.getMessage() + " is refused." : "";
    }
}
