package dev.dinggate.apidocs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.ProductionGatewayTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.test.context.TestPropertySource;

/** The operator's switch (Helm's config.apiDocsEnabled): with it off, the API docs and Swagger UI are not there. */
@TestPropertySource(properties = {"springdoc.api-docs.enabled=false", "springdoc.swagger-ui.enabled=false"})
class ApiDocsSwitchedOffTests extends ProductionGatewayTest {

    @ParameterizedTest
    @ValueSource(strings = {"/v3/api-docs", "/swagger-ui.html", "/swagger-ui/index.html"})
    void theDocsAnswerNotFound(String path) {
        GatewayHttp.Answer answer = http.send("GET", path, null, null, null);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.field("code")).isEqualTo("request.not-found");
    }
}
