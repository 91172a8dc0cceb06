package dev.dinggate.contact;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Contacts settings.
 *
 * @param defaultRegion region (ISO 3166 code) assumed for mobile numbers given without a country code
 * @param walkConcurrency DingTalk calls in flight at once while walking departments; the QPS pacing still applies
 */
@ConfigurationProperties("gateway.contacts")
record ContactProperties(
        @DefaultValue("CN") String defaultRegion,
        @DefaultValue("4") int walkConcurrency) {}
