package dev.dinggate.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * A stand-in for the company identity provider: a real RSA key, its JWK set, and RS256 tokens
 * signed with it, so that tests exercise the same JWT validation as production.
 */
public final class TestJwts {

    public static final String ISSUER = "https://idp.example.test";
    public static final String AUDIENCE = "dingtalk-gateway";
    private static final String KEY_ID = "test-key";

    private final RSAKey key;

    public TestJwts() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            this.key = new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                    .privateKey((RSAPrivateKey) pair.getPrivate())
                    .keyID(KEY_ID)
                    .build();
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The public JWK set, as the identity provider publishes it. */
    public String jwkSetJson() {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    /** A valid token for {@code subject} with the given scopes and, if not null, a linked DingTalk userId. */
    public String token(String subject, String scopes, String dingTalkUserId) {
        return builder(subject, scopes, dingTalkUserId).sign();
    }

    public Builder builder(String subject, String scopes, String dingTalkUserId) {
        return new Builder(subject, scopes, dingTalkUserId);
    }

    /** Tokens with one thing changed, for the negative cases. */
    public final class Builder {
        private final JWTClaimsSet.Builder claims;

        private Builder(String subject, String scopes, String dingTalkUserId) {
            Instant now = Instant.now();
            claims = new JWTClaimsSet.Builder()
                    .subject(subject)
                    .issuer(ISSUER)
                    .audience(AUDIENCE)
                    .jwtID(UUID.randomUUID().toString())
                    .issueTime(Date.from(now))
                    .notBeforeTime(Date.from(now.minusSeconds(5)))
                    .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                    .claim("scope", scopes)
                    .claim("azp", "hr-system");
            if (dingTalkUserId != null) {
                claims.claim("dingtalk_userid", dingTalkUserId);
            }
        }

        public Builder claim(String name, Object value) {
            claims.claim(name, value);
            return this;
        }

        public Builder expiredAgo(Duration ago) {
            Instant expiry = Instant.now().minus(ago);
            claims.issueTime(Date.from(expiry.minus(Duration.ofMinutes(5))))
                    .notBeforeTime(Date.from(expiry.minus(Duration.ofMinutes(5))))
                    .expirationTime(Date.from(expiry));
            return this;
        }

        public Builder issuer(String issuer) {
            claims.issuer(issuer);
            return this;
        }

        public Builder audience(String audience) {
            claims.audience(audience);
            return this;
        }

        public Builder notBefore(Instant notBefore) {
            claims.notBeforeTime(Date.from(notBefore)).issueTime(Date.from(notBefore));
            return this;
        }

        /** An unsigned token ({@code alg: none}) with these claims. */
        public String unsigned() {
            return new com.nimbusds.jwt.PlainJWT(claims.build()).serialize();
        }

        /** A validly signed token whose payload was changed afterwards (scope widened). */
        public String tampered() {
            String[] parts = sign().split("\\.");
            String payload = new String(
                            java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8)
                    .replace("\"scope\":\"", "\"scope\":\"ops ");
            return parts[0] + "."
                    + java.util.Base64.getUrlEncoder()
                            .withoutPadding()
                            .encodeToString(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    + "." + parts[2];
        }

        public String sign() {
            try {
                SignedJWT jwt = new SignedJWT(
                        new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY_ID).build(), claims.build());
                jwt.sign(new RSASSASigner(key));
                return jwt.serialize();
            } catch (JOSEException failure) {
                throw new IllegalStateException(failure);
            }
        }
    }
}
