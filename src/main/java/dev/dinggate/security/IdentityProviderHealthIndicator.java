package dev.dinggate.security;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Readiness sees the identity provider: without it no bearer call can be judged, so the platform should
 * send traffic elsewhere. Asks for the key set (or, with only an issuer configured, its metadata) at most
 * once per {@link #RECHECK}, whatever the probe rate, with short timeouts.
 */
@Component("identityProvider")
@Profile("production")
class IdentityProviderHealthIndicator implements HealthIndicator {

    static final Duration RECHECK = Duration.ofSeconds(10);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final @Nullable URI uri;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final Clock clock;
    private volatile @Nullable Checked last;

    IdentityProviderHealthIndicator(OAuth2ResourceServerProperties properties, ObjectProvider<Clock> clock) {
        this.uri = keySetOrMetadata(properties.getJwt());
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    @Override
    public Health health() {
        if (uri == null) {
            return Health.unknown()
                    .withDetail("reason", "no issuer-uri or jwk-set-uri configured")
                    .build();
        }
        Checked checked = last;
        Instant now = clock.instant();
        if (checked == null || !now.isBefore(checked.at().plus(RECHECK))) {
            checked = new Checked(now, ask(uri));
            last = checked;
        }
        return checked.health();
    }

    private Health ask(URI target) {
        HttpRequest request =
                HttpRequest.newBuilder(target).timeout(TIMEOUT).GET().build();
        try {
            int status =
                    http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            Health.Builder health = status / 100 == 2 ? Health.up() : Health.down();
            return health.withDetail("uri", target.toString())
                    .withDetail("status", status)
                    .build();
        } catch (IOException failure) {
            return Health.down()
                    .withDetail("uri", target.toString())
                    .withDetail("error", failure.getClass().getSimpleName())
                    .build();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return Health.unknown().build();
        }
    }

    private static @Nullable URI keySetOrMetadata(OAuth2ResourceServerProperties.Jwt jwt) {
        if (jwt.getJwkSetUri() != null) {
            return URI.create(jwt.getJwkSetUri());
        }
        if (jwt.getIssuerUri() != null) {
            String issuer = jwt.getIssuerUri().replaceAll("/+$", "");
            return URI.create(issuer + "/.well-known/openid-configuration");
        }
        return null;
    }

    private record Checked(Instant at, Health health) {}
}
