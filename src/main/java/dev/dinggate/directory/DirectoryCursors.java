package dev.dinggate.directory;

import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.problem.GatewayProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque cursors of the search and the change feed. Opaque so that callers keep them as they are: what is
 * inside (a position in the search's order, a sequence number of the feed) may change between versions.
 */
final class DirectoryCursors {

    private static final String SEARCH = "s1:";
    private static final String CHANGES = "c1:";
    private static final char SEPARATOR = '\u0000';

    private DirectoryCursors() {}

    /** Where a search page ended: the last user's sort key and userId. */
    record SearchPosition(String nameKey, String userId) {}

    static String search(SearchPosition position) {
        return encode(SEARCH + position.nameKey() + SEPARATOR + position.userId());
    }

    static SearchPosition search(String cursor) {
        String text = decode(cursor, SEARCH);
        int separator = text.lastIndexOf(SEPARATOR);
        if (separator < 0) {
            throw invalid();
        }
        return new SearchPosition(text.substring(0, separator), text.substring(separator + 1));
    }

    static String changes(long sequence) {
        return encode(CHANGES + sequence);
    }

    static long changes(String cursor) {
        try {
            long sequence = Long.parseLong(decode(cursor, CHANGES));
            if (sequence < 0) {
                throw invalid();
            }
            return sequence;
        } catch (NumberFormatException notANumber) {
            throw invalid();
        }
    }

    private static String encode(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor, String prefix) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            throw invalid();
        }
        if (!text.startsWith(prefix)) {
            throw invalid();
        }
        return text.substring(prefix.length());
    }

    private static GatewayProblemException invalid() {
        return new GatewayProblemException(
                GatewayProblem.DIRECTORY_CURSOR_INVALID,
                "The cursor is not one this route handed out; start again without it.");
    }
}
