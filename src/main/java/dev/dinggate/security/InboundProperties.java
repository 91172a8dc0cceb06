package dev.dinggate.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What callers may do before they reach an operation.
 *
 * @param corsAllowedOrigins browser origins of internal web apps allowed to call the API; none by default
 * @param rateLimit per-client request budget
 * @param quotaFreeRateLimit per-client guard against abuse for requests that spend no DingTalk quota (reads of the
 *        directory mirror), per replica
 */
@ConfigurationProperties("gateway.inbound")
record InboundProperties(
        @DefaultValue List<String> corsAllowedOrigins,
        @DefaultValue RateLimit rateLimit,
        @DefaultValue QuotaFreeRateLimit quotaFreeRateLimit) {

    /**
     * @param requestsPerSecond sustained API requests a second for one client (JWT client id, else principal),
     *        across every replica: five DingTalk APIs at their full quota
     * @param burst requests a client may make at once above the sustained rate: as many as one API's quota
     *        serves within {@code dingtalk.rate-limit.max-wait} and the retry deadline
     * @param enabled switch the limit off entirely
     */
    record RateLimit(
            @DefaultValue("100") int requestsPerSecond,
            @DefaultValue("300") int burst,
            @DefaultValue("true") boolean enabled) {}

    /**
     * @param requestsPerSecond sustained quota-free requests a second for one client on one replica: far above a
     *        busy web app's people picker, low enough that one runaway client cannot take a replica's threads
     * @param burst quota-free requests a client may make at once above the sustained rate
     */
    record QuotaFreeRateLimit(
            @DefaultValue("1000") int requestsPerSecond,
            @DefaultValue("2000") int burst) {}
}
