package dev.dinggate.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The header's grammar: a bare key or a structured-field string, 1 to 255 visible ASCII characters. */
class IdempotencyKeyTests {

    @ParameterizedTest(name = "[{0}] is the key [{1}]")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\'',
            value = {
                "8e03978e-40d5-43e8-bc93-6894a57f9324 | 8e03978e-40d5-43e8-bc93-6894a57f9324",
                "\"8e03978e-40d5-43e8-bc93-6894a57f9324\" | 8e03978e-40d5-43e8-bc93-6894a57f9324",
                "'  \"hr-intake-2026\"\t' | hr-intake-2026",
                "\"say\\\"hi\\\"\" | say\"hi\"",
                "\"a\\\\b\" | a\\b",
                "a,b;c=d | a,b;c=d"
            })
    void validKeysAreReadAsTheCallerMeantThem(String field, String key) {
        assertThat(IdempotencyKey.parse(field))
                .isNotNull()
                .extracting(IdempotencyKey::value)
                .isEqualTo(key);
    }

    @ParameterizedTest(name = "[{0}] is malformed")
    @ValueSource(
            strings = {
                "",
                "   ",
                "\"\"",
                "\"abc",
                "abc\"",
                "ab\"c",
                "\"a\"b\"",
                "\"abc\\\"",
                "\"a\\b\"",
                "two words",
                "\"two words\"",
                "schl\u00fcssel",
                "\u5bc6\u94a5",
                "tab\there",
                "\"ctl\u0001\""
            })
    void malformedKeysAreRefused(String field) {
        assertThat(IdempotencyKey.parse(field)).isNull();
    }

    @ParameterizedTest(name = "{0} characters")
    @ValueSource(ints = {1, 255, 256})
    void keysHoldOneTo255Characters(int length) {
        String key = "k".repeat(length);

        assertThat(IdempotencyKey.parse(key) != null).isEqualTo(length <= 255);
        assertThat(IdempotencyKey.parse("\"" + key + "\"") != null)
                .as("quotes do not count")
                .isEqualTo(length <= 255);
    }
}
