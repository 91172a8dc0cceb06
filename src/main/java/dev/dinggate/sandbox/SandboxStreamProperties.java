package dev.dinggate.sandbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Profile;

/**
 * How the simulator's event stream behaves.
 *
 * @param ticketLifetime how long a ticket from {@code /v1.0/gateway/connections/open} may be used (once)
 * @param redeliverAfter an event not acknowledged with SUCCESS within this is sent again (so is one acknowledged
 *        LATER, this long after that answer)
 * @param pingInterval how often each connection gets a SYSTEM {@code ping}
 * @param giveUpAfter an event still not acknowledged this long after it happened is dropped, as DingTalk does
 *        across long disconnects (the gateway's full sync covers it)
 */
@ConfigurationProperties("sandbox.dingtalk.stream")
@Profile("sandbox")
record SandboxStreamProperties(
        @DefaultValue("90s") Duration ticketLifetime,
        @DefaultValue("5s") Duration redeliverAfter,
        @DefaultValue("10s") Duration pingInterval,
        @DefaultValue("1h") Duration giveUpAfter) {}
