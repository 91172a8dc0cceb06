package dev.dinggate.batch;

import java.util.List;
import java.util.Map;

/** A batch refused as a whole: why, and the mistakes per item (index, code, detail). */
final class InvalidBatchException extends RuntimeException {

    private final List<Map<String, Object>> errors;

    InvalidBatchException(String detail, List<Map<String, Object>> errors) {
        super(detail);
        this.errors = errors;
    }

    List<Map<String, Object>> errors() {
        return errors;
    }
}
