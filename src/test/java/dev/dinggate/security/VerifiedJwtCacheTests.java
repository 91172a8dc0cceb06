package dev.dinggate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dinggate.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

class VerifiedJwtCacheTests {

    private static final Instant NOW = Instant.parse("2026-11-21T08:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final List<String> verified = new ArrayList<>();

    /** Stands in for Nimbus: accepts tokens named "good-<minutes to exp>", refuses the rest. */
    private final JwtDecoder verifier = token -> {
        verified.add(token);
        if (!token.startsWith("good-")) {
            throw new BadJwtException("signature invalid");
        }
        Instant expiresAt = NOW.plus(Duration.ofMinutes(Long.parseLong(token.substring(5))));
        if (!clock.instant().isBefore(expiresAt)) {
            throw new BadJwtException("expired");
        }
        return Jwt.withTokenValue(token)
                .header("alg", "RS256")
                .subject("hr-system")
                .issuedAt(NOW)
                .expiresAt(expiresAt)
                .build();
    };

    private final VerifiedJwtCache cache = new VerifiedJwtCache(verifier, Duration.ofMinutes(5), 100, clock);

    @Test
    void aTokenIsVerifiedOnceWhileItIsRemembered() {
        Jwt first = cache.decode("good-60");
        Jwt again = cache.decode("good-60");

        assertThat(again).isSameAs(first);
        assertThat(verified).containsExactly("good-60");
    }

    @Test
    void aRefusedTokenIsCheckedAndRefusedEveryTime() {
        assertThatThrownBy(() -> cache.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> cache.decode("forged")).isInstanceOf(BadJwtException.class);

        assertThat(verified).containsExactly("forged", "forged");
    }

    @Test
    void aTokenIsNeverAcceptedFromMemoryPastItsExpiry() {
        cache.decode("good-2");
        clock.advance(Duration.ofMinutes(2));

        assertThatThrownBy(() -> cache.decode("good-2"))
                .isInstanceOf(BadJwtException.class)
                .hasMessage("expired");
        assertThat(verified).containsExactly("good-2", "good-2");
    }

    @Test
    void aLongLivedTokenIsVerifiedAgainAfterTheMaximumAge() {
        cache.decode("good-60");
        clock.advance(Duration.ofMinutes(4));
        cache.decode("good-60");
        clock.advance(Duration.ofMinutes(1));
        cache.decode("good-60");

        assertThat(verified).containsExactly("good-60", "good-60");
    }
}
