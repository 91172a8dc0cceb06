package dev.dinggate.security;

import com.nimbusds.jose.KeySourceException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderInitializationException;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.util.ExceptionTypeFilter;

/**
 * Tells "the identity provider did not answer" apart from "the token is bad". Boot's decoder resolves
 * the issuer's metadata on first use and fetches the key set when a token names an unknown key; when
 * either fails Spring Security reports it as an internal error (500 without a problem body). Here it
 * becomes {@link IdentityProviderUnavailableException} and one log line per outage
 * ({@link IdentityProviderHealthIndicator} tells readiness).
 */
class IdentityProviderGuard implements JwtDecoder {

    private static final Logger log = LoggerFactory.getLogger(IdentityProviderGuard.class);
    private static final ExceptionTypeFilter KEY_SET_UNANSWERED =
            new ExceptionTypeFilter(List.of(KeySourceException.class), List.of(), false);

    private final JwtDecoder decoder;
    private final AtomicBoolean unavailable = new AtomicBoolean();

    IdentityProviderGuard(JwtDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        try {
            Jwt jwt = decoder.decode(token);
            answered();
            return jwt;
        } catch (JwtDecoderInitializationException | JwtException failure) {
            if (isUnanswered(failure)) {
                throw unanswered(failure);
            }
            answered();
            throw failure;
        }
    }

    private IdentityProviderUnavailableException unanswered(RuntimeException failure) {
        if (unavailable.compareAndSet(false, true)) {
            log.warn(
                    "The identity provider does not answer ({}): bearer calls are answered 503 "
                            + "auth.provider-unavailable and readiness is DOWN until it does",
                    failure.getMessage());
        }
        return new IdentityProviderUnavailableException(failure);
    }

    private void answered() {
        if (unavailable.compareAndSet(true, false)) {
            log.info("The identity provider answers again");
        }
    }

    /**
     * Resolution of the issuer failed, or the key set could not be fetched (Nimbus reports that as a
     * {@link KeySourceException} inside the JwtException); a malformed, expired or forged token is not that.
     */
    private static boolean isUnanswered(RuntimeException failure) {
        if (failure instanceof JwtDecoderInitializationException) {
            return true;
        }
        if (failure instanceof BadJwtException) {
            return false;
        }
        // KeySourceException is checked, so only a cause can be one.
        return KEY_SET_UNANSWERED.match(failure, true);
    }
}
