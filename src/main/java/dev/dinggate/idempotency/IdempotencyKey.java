package dev.dinggate.idempotency;

import org.jspecify.annotations.Nullable;

/**
 * An {@code Idempotency-Key} (draft-ietf-httpapi-idempotency-key-header): 1 to 255 visible ASCII
 * characters, sent bare or as a structured-field string in double quotes.
 */
record IdempotencyKey(String value) {

    static final String HEADER = "Idempotency-Key";
    static final int MAX_LENGTH = 255;

    /** The key a field value carries, or null when it is malformed. */
    static @Nullable IdempotencyKey parse(String fieldValue) {
        String text = withoutOptionalWhitespace(fieldValue);
        String key = text.startsWith("\"") ? unquoted(text) : bare(text);
        return key == null || key.isEmpty() || key.length() > MAX_LENGTH ? null : new IdempotencyKey(key);
    }

    private static @Nullable String bare(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // A quote anywhere but around the key is a quoting mistake, not part of a key.
            if (!isVisibleAscii(c) || c == '"') {
                return null;
            }
        }
        return text;
    }

    /** An sf-string: quotes around, and inside only visible ASCII with {@code \"} and {@code \\} escaped. */
    private static @Nullable String unquoted(String text) {
        if (text.length() < 2 || !text.endsWith("\"")) {
            return null;
        }
        StringBuilder key = new StringBuilder(text.length());
        int end = text.length() - 1;
        for (int i = 1; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
                if (i == end || (text.charAt(i) != '"' && text.charAt(i) != '\\')) {
                    return null;
                }
                c = text.charAt(i);
            } else if (c == '"' || !isVisibleAscii(c)) {
                return null;
            }
            key.append(c);
        }
        return key.toString();
    }

    private static boolean isVisibleAscii(char c) {
        return c > 0x20 && c < 0x7f;
    }

    /** Spaces and tabs around a field value are not part of it (RFC 9110, section 5.5). */
    private static String withoutOptionalWhitespace(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && (value.charAt(start) == ' ' || value.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\t')) {
            end--;
        }
        return value.substring(start, end);
    }
}
