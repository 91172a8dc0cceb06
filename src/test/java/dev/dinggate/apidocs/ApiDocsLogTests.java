package dev.dinggate.apidocs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.ProductionGatewayTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

/**
 * Describing the API logs no warning. springdoc 3.1.0 logged one {@code SpringDocUtils} WARN for every
 * constrained parameter (the audit query's), failing to read back the OpenAPI 3.1 {@code type} of the schemas it
 * clones (springdoc-openapi issue 3314, fixed in 3.1.1).
 */
@ExtendWith(OutputCaptureExtension.class)
// The document is built afresh for this request, not taken from a cache another test filled.
@TestPropertySource(properties = "springdoc.cache.disabled=true")
class ApiDocsLogTests extends ProductionGatewayTest {

    @Test
    void describingTheApiLogsNoWarning(CapturedOutput output) {
        GatewayHttp.Answer answer = http.get("/v3/api-docs");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(output.getAll()).doesNotContain("SpringDocUtils", "Json Processing Exception");
    }
}
