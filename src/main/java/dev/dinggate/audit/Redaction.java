package dev.dinggate.audit;

import java.util.regex.Pattern;

/** Masks personal data before it is written to the audit trail or a log line. */
public final class Redaction {

    private static final Pattern DIGITS = Pattern.compile("\\d");

    private Redaction() {}

    /**
     * Keeps a mobile number's country code, first three and last two digits: enough for an operator
     * to tell two numbers apart, too little to call anyone. {@code +86-13812345678} → {@code +86-138******78}.
     */
    public static String mobile(String mobile) {
        int dash = mobile.indexOf('-');
        String prefix = dash >= 0 ? mobile.substring(0, dash + 1) : "";
        String number = dash >= 0 ? mobile.substring(dash + 1) : mobile;
        if (number.length() <= 5) {
            return prefix + DIGITS.matcher(number).replaceAll("*");
        }
        String middle = DIGITS.matcher(number.substring(3, number.length() - 2)).replaceAll("*");
        return prefix + number.substring(0, 3) + middle + number.substring(number.length() - 2);
    }
}
