package dev.dinggate.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The loop must accept exactly what StrictHttpFirewall's own expressions accept. */
class HeaderFirewallTests {

    private static final Pattern SPRING_HEADER_NAMES = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern SPRING_HEADER_VALUES = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    /** Characters around every boundary the rules draw: controls, tab, DEL, C1, unassigned, surrogates. */
    private static final int[] INTERESTING = {
        'a', 'Z', '0', ' ', '\t', '\n', '\r', 0, 0x1f, 0x7f, 0x80, 0x9f, 0xa0, 0xe4, 0x378, 0x4e2d, 0xd800, 0xdc00,
        0xfeff, 0xfffe, 0xffff, 0x1f600, 0x10ffff, 0xe0001, 0x0e0080
    };

    @Test
    void agreesWithSpringSecuritysExpressionsOnGeneratedHeaders() {
        SplittableRandom random = new SplittableRandom(20261121);
        int refused = 0;
        for (int sample = 0; sample < 50_000; sample++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(0, 12);
            for (int i = 0; i < length; i++) {
                int codePoint = random.nextInt(4) == 0
                        ? random.nextInt(0, 0x110000)
                        : INTERESTING[random.nextInt(INTERESTING.length)];
                text.appendCodePoint(codePoint);
            }
            String header = text.toString();
            assertThat(HeaderFirewall.assignedAndNotControl(header, false))
                    .as("name %s", header.codePoints().boxed().toList())
                    .isEqualTo(SPRING_HEADER_NAMES.matcher(header).matches());
            boolean valueAllowed = HeaderFirewall.assignedAndNotControl(header, true);
            assertThat(valueAllowed)
                    .as("value %s", header.codePoints().boxed().toList())
                    .isEqualTo(SPRING_HEADER_VALUES.matcher(header).matches());
            refused += valueAllowed ? 0 : 1;
        }
        // Not vacuous: both answers occur often.
        assertThat(refused).isBetween(5_000, 45_000);
    }
}
