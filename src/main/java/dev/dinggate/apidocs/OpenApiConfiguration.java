package dev.dinggate.apidocs;

import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.security.Caller;
import dev.dinggate.security.RequiresScope;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.RequestBody;
import tools.jackson.databind.json.JsonMapper;

/** The OpenAPI description served at {@code /v3/api-docs} and kept in {@code docs/openapi.json}. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String PROBLEM_REF = "#/components/schemas/Problem";
    private static final JsonMapper EXAMPLES = JsonMapper.builder().build();

    @Bean
    OpenAPI gatewayOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("DingTalk account gateway")
                        .version("v1")
                        .description("Enterprise Accounts and Contacts of DingTalk behind company logins and scopes. "
                                + "Errors are RFC 9457 problem details; switch on their `code`."))
                .servers(List.of(new Server().url("/").description("this gateway")))
                .components(new Components()
                        .addSecuritySchemes(
                                "bearer",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .bearerFormat("JWT")
                                        .description(
                                                "production: a JWT of the company identity provider; scopes in `scope`/`scp`"))
                        .addSecuritySchemes(
                                "basic",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("basic")
                                        .description("sandbox profile only: the users listed in the README")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"))
                .addSecurityItem(new SecurityRequirement().addList("basic"));
    }

    static {
        // The caller comes from the login, never from the request: it is no API parameter.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    @Bean
    OpenApiCustomizer problemSchema() {
        // Added here rather than in the OpenAPI bean: springdoc replaces the schemas it generates.
        return openApi -> openApi.getComponents().addSchemas("Problem", problemSchemaOfTheCatalogue());
    }

    /** What each handler declares: its scope, its problems, its example bodies. */
    @Bean
    OperationCustomizer declaredOnTheHandler() {
        return (operation, handler) -> {
            RequiresScope scope = handler.getMethodAnnotation(RequiresScope.class);
            OperationProblems problems = handler.getMethodAnnotation(OperationProblems.class);
            if (scope == null || problems == null) {
                throw new IllegalStateException(handler + " declares no @RequiresScope or no @OperationProblems");
            }
            String scopeSentence = "Scope " + scope.value() + ".";
            operation.setDescription(
                    operation.getDescription() == null
                            ? scopeSentence
                            : scopeSentence + " " + operation.getDescription());
            boolean hasBody = Arrays.stream(handler.getMethodParameters())
                    .anyMatch(parameter -> parameter.hasParameterAnnotation(RequestBody.class));
            ProblemCatalogue.of(problems.kind(), hasBody, List.of(problems.value()))
                    .forEach((status, codes) ->
                            operation.getResponses().addApiResponse(Integer.toString(status), problemResponse(codes)));
            RequestExample[] examples = handler.getMethod().getAnnotationsByType(RequestExample.class);
            if (hasBody && examples.length == 0) {
                throw new IllegalStateException(handler + " takes a body but declares no @RequestExample");
            }
            for (RequestExample example : examples) {
                Object value = EXAMPLES.readValue(example.json(), Object.class);
                operation
                        .getRequestBody()
                        .getContent()
                        .forEach((type, media) -> media.addExamples(example.name(), new Example().value(value)));
            }
            return operation;
        };
    }

    private static ApiResponse problemResponse(Collection<GatewayProblem> problems) {
        return new ApiResponse()
                .description("Problem; `code` is one of: "
                        + problems.stream().map(GatewayProblem::code).collect(Collectors.joining(", ")))
                .content(new Content()
                        .addMediaType(PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref(PROBLEM_REF))));
    }

    private static Schema<?> problemSchemaOfTheCatalogue() {
        List<String> codes = Arrays.stream(GatewayProblem.values())
                .map(GatewayProblem::code)
                .sorted()
                .toList();
        return new ObjectSchema()
                .description("RFC 9457 problem detail with the gateway's extensions")
                .addProperty("type", new StringSchema().format("uri").example("urn:dinggate:problem:dingtalk-id.taken"))
                .addProperty("title", new StringSchema().description("a human phrase"))
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema())
                .addProperty("code", new StringSchema()._enum(codes).description("stable: switch on it"))
                .addProperty("requestId", new StringSchema().description("also in the X-Request-Id header"))
                .addProperty("upstreamCode", new StringSchema().description("DingTalk's code, when DingTalk answered"))
                .addProperty("upstreamRequestId", new StringSchema().description("DingTalk's request id"))
                .addProperty(
                        "errors",
                        new ArraySchema()
                                .items(new ObjectSchema()
                                        .addProperty("field", new StringSchema())
                                        .addProperty("message", new StringSchema())))
                .required(List.of("type", "title", "status", "code", "requestId"));
    }
}
