package dev.dinggate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactionTests {

    @ParameterizedTest
    @CsvSource({
        "+86-13812345678, +86-138******78",
        "13812345678, 138******78",
        "+852-91234567, +852-912***67",
        "1234, ****"
    })
    void mobileNumbersKeepOnlyEnoughToTellThemApart(String mobile, String masked) {
        assertThat(Redaction.mobile(mobile))
                .isEqualTo(masked)
                .doesNotContain(mobile.substring(mobile.indexOf('-') + 1));
    }
}
