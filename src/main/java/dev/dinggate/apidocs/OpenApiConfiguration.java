package dev.dinggate.apidocs;

import dev.dinggate.security.Caller;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI description served at {@code /v3/api-docs} and kept in {@code docs/openapi.json}. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String PROBLEM_REF = "#/components/schemas/Problem";

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
    OpenApiCustomizer problemResponsesAndExamples() {
        return openApi -> {
            // Added here rather than in the OpenAPI bean: springdoc replaces the schemas it generates.
            openApi.getComponents().addSchemas("Problem", problemSchema());
            openApi.getPaths()
                    .forEach((path, item) -> item.readOperationsMap()
                            .forEach((method, operation) -> describe(method + " " + path, method, operation)));
        };
    }

    private static void describe(String key, PathItem.HttpMethod method, Operation operation) {
        boolean isChange = method != PathItem.HttpMethod.GET && !key.endsWith("/lookup");
        boolean callsDingTalk = !key.contains("/audit-events");
        boolean hasBody = operation.getRequestBody() != null;
        Map<Integer, List<String>> problems =
                new TreeMap<>(ProblemCatalogue.common(callsDingTalk, isChange || key.endsWith("/lookup"), hasBody));
        ProblemCatalogue.SPECIFIC
                .getOrDefault(key, Map.of())
                .forEach((status, codes) -> problems.merge(status, codes, ProblemCatalogue::concat));
        problems.forEach((status, codes) -> operation
                .getResponses()
                .addApiResponse(
                        Integer.toString(status),
                        new ApiResponse()
                                .description("Problem; `code` is one of: " + String.join(", ", codes))
                                .content(new Content()
                                        .addMediaType(
                                                PROBLEM_JSON,
                                                new MediaType().schema(new Schema<>().$ref(PROBLEM_REF))))));
        RequestExamples.FOR
                .getOrDefault(key, Map.of())
                .forEach((name, example) -> operation
                        .getRequestBody()
                        .getContent()
                        .forEach((type, media) -> media.addExamples(name, new Example().value(example))));
    }

    private static Schema<?> problemSchema() {
        TreeSet<String> codes = new TreeSet<>();
        ProblemCatalogue.common(true, true, true).values().forEach(codes::addAll);
        ProblemCatalogue.common(true, false, true).values().forEach(codes::addAll);
        ProblemCatalogue.SPECIFIC.values().forEach(byStatus -> byStatus.values().forEach(codes::addAll));
        codes.addAll(ProblemCatalogue.UNROUTED);
        return new ObjectSchema()
                .description("RFC 9457 problem detail with the gateway's extensions")
                .addProperty("type", new StringSchema().format("uri").example("urn:dinggate:problem:dingtalk-id.taken"))
                .addProperty("title", new StringSchema().description("a human phrase"))
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema())
                .addProperty(
                        "code", new StringSchema()._enum(List.copyOf(codes)).description("stable: switch on it"))
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
