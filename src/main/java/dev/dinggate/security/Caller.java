package dev.dinggate.security;

import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.problem.GatewayProblemException;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The authenticated caller of a request, as a controller parameter.
 *
 * @param principal the user or client name (the JWT subject, or the sandbox user name)
 * @param clientId the OAuth2 client the token was issued to, when the token names one
 * @param dingTalkUserId the caller's own DingTalk userId, when the identity provider links one
 * @param scopes the granted scopes
 */
public record Caller(
        String principal,
        @Nullable String clientId,
        @Nullable String dingTalkUserId,
        Set<String> scopes) {

    /** The caller's DingTalk userId, for operations DingTalk audits under the person asking. */
    public String requireDingTalkUserId() {
        if (dingTalkUserId == null || dingTalkUserId.isBlank()) {
            throw new GatewayProblemException(
                    GatewayProblem.CALLER_NOT_LINKED,
                    "This operation is recorded by DingTalk under the caller's " + "DingTalk userId, and '" + principal
                            + "' has none linked in the identity provider.");
        }
        return dingTalkUserId;
    }

    /** The OAuth2 client a token was issued to: {@code azp}, else {@code client_id}; the audit records it as clientId. */
    public static @Nullable String clientIdOf(Jwt token) {
        return token.hasClaim("azp") ? token.getClaimAsString("azp") : token.getClaimAsString("client_id");
    }
}
