package dev.dinggate.batch;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Body of {@code POST /api/v1/batches}. Items are read one by one, so that a mistake in one is reported
 * with its index and the code its single call would have answered.
 *
 * @param items 1 to {@code gateway.batch.max-items} items, each {@code {"operation": ..., ...}}
 */
record BatchRequest(
        @ArraySchema(
                schema =
                        @Schema(
                                implementation = Object.class,
                                description = "{\"operation\": ..., and its call's fields}"),
                minItems = 1,
                maxItems = 1000)
        @Nullable
        List<JsonNode> items) {}
