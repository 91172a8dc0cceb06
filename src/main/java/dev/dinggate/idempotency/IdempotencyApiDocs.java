package dev.dinggate.idempotency;

import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code Idempotency-Key} request header and the {@code Idempotency-Replayed} answer header in the API docs. */
@Configuration(proxyBeanMethods = false)
class IdempotencyApiDocs {

    private static final String PARAMETER = "IdempotencyKey";
    private static final String HEADER = "IdempotencyReplayed";

    @Bean
    OpenApiCustomizer idempotencyKeyHeader() {
        return openApi -> {
            openApi.getComponents()
                    .addParameters(
                            PARAMETER,
                            new HeaderParameter()
                                    .name(IdempotencyKey.HEADER)
                                    .required(false)
                                    .description(
                                            "Makes a retry safe: the first request with this key is processed, a retry "
                                                    + "with the same key, method, path and body gets the first answer again (with "
                                                    + "Idempotency-Replayed: true) and is not sent to DingTalk. 1 to 255 visible ASCII "
                                                    + "characters, bare or in double quotes; the key is the caller's own.")
                                    .schema(new StringSchema()
                                            .minLength(1)
                                            .maxLength(IdempotencyKey.MAX_LENGTH + 2)
                                            .example("\"8e03978e-40d5-43e8-bc93-6894a57f9324\"")))
                    .addHeaders(
                            HEADER,
                            new Header()
                                    .description("true when this is the stored answer to an earlier "
                                            + "request with the same Idempotency-Key")
                                    .schema(new StringSchema()._enum(List.of("true"))));
            openApi.getPaths()
                    .forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                        if (IdempotencyFilter.covers(method.name(), path)) {
                            operation.addParametersItem(new Parameter().$ref("#/components/parameters/" + PARAMETER));
                            operation.getResponses().forEach((status, response) -> {
                                if (status.startsWith("2")) {
                                    response.addHeaderObject(
                                            IdempotencyFilter.REPLAYED,
                                            new Header().$ref("#/components/headers/" + HEADER));
                                }
                            });
                        }
                    }));
        };
    }
}
