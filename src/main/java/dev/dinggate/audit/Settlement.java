package dev.dinggate.audit;

/**
 * What a later check needs to settle a change whose outcome gets lost, stored beside its PENDING row
 * (never in it) and deleted once the outcome is known. The audit trail does not read the facts; the
 * check named by {@code kind} does.
 *
 * @param kind which check can settle it, e.g. {@code user.create}
 * @param facts that check's facts as JSON; may hold personal data such as a mobile number
 */
public record Settlement(String kind, String facts) {

    /** The facts may hold personal data: they stay out of logs and exception messages. */
    @Override
    public String toString() {
        return "Settlement[kind=" + kind + ", facts=(" + facts.length() + " characters)]";
    }
}
