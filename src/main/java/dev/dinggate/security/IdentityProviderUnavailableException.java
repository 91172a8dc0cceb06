package dev.dinggate.security;

import org.springframework.security.authentication.AuthenticationServiceException;

/**
 * The identity provider could not be asked whether a token is good (its metadata or key set did not
 * answer): the caller's credentials were not judged, so the answer is "try later", not 401.
 */
class IdentityProviderUnavailableException extends AuthenticationServiceException {

    IdentityProviderUnavailableException(Throwable cause) {
        super("The identity provider did not answer: " + cause.getMessage(), cause);
    }
}
