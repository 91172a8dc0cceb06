package dev.dinggate.security;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What callers may do before they reach an operation.
 *
 * @param corsAllowedOrigins browser origins of internal web apps allowed to call the API; none by default
 * @param rateLimit per-client request budget
 */
@ConfigurationProperties("gateway.inbound")
record InboundProperties(@DefaultValue List<String> corsAllowedOrigins, @DefaultValue RateLimit rateLimit) {

    /**
     * @param requestsPerSecond sustained API requests a second for one client (JWT client id, else principal)
     * @param burst requests a client may make at once above the sustained rate
     * @param enabled switch the limit off entirely
     */
    record RateLimit(@DefaultValue("10") int requestsPerSecond, @DefaultValue("20") int burst,
            @DefaultValue("true") boolean enabled) {

        Duration refillPeriod() {
            return Duration.ofSeconds(1);
        }
    }
}
