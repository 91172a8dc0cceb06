package dev.dinggate.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Remembers the tokens that passed verification, for at most {@code maxAge} and never past their
 * own {@code exp}. An internal app sends the same token with every call for the token's whole life,
 * and checking its RSA signature again each time was the largest single cost of a request
 * (docs/benchmarks.md). Only tokens that passed are kept, so a refused token is checked, and refused,
 * every time; {@code maxAge} bounds how long a token stays accepted after its signing key is withdrawn.
 */
final class VerifiedJwtCache implements JwtDecoder {

    private final JwtDecoder verifier;
    private final Cache<String, Jwt> verified;

    VerifiedJwtCache(JwtDecoder verifier, Duration maxAge, long maxTokens, Clock clock) {
        this.verifier = verifier;
        this.verified = Caffeine.newBuilder()
                .maximumSize(maxTokens)
                .ticker(() -> {
                    Instant now = clock.instant();
                    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
                })
                .expireAfter(Expiry.<String, Jwt>creating((token, jwt) -> {
                    if (jwt.getExpiresAt() == null) {
                        return maxAge;
                    }
                    Duration left = Duration.between(clock.instant(), jwt.getExpiresAt());
                    return left.isNegative() ? Duration.ZERO : (left.compareTo(maxAge) < 0 ? left : maxAge);
                }))
                .build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt known = verified.getIfPresent(token);
        if (known != null) {
            return known;
        }
        Jwt checked = verifier.decode(token);
        verified.put(token, checked);
        return checked;
    }
}
