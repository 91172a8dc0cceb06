package dev.dinggate.security;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Caller identity settings.
 *
 * @param dingtalkUserIdClaim JWT claim that holds the caller's DingTalk userId
 * @param sandboxUsers HTTP Basic users of the sandbox profile (ignored in production)
 * @param verifiedTokenCacheTime how long a JWT that passed verification is accepted again without
 *        checking its signature (never past its {@code exp}); 0 checks every request
 */
@ConfigurationProperties("gateway.security")
record GatewaySecurityProperties(
        @DefaultValue("dingtalk_userid") String dingtalkUserIdClaim,
        @DefaultValue List<SandboxUser> sandboxUsers,
        @DefaultValue("5m") Duration verifiedTokenCacheTime) {

    /**
     * @param username HTTP Basic user name
     * @param password HTTP Basic password, with its encoding prefix ({@code {noop}} for plain text)
     * @param scopes granted scopes, as a JWT's {@code scope} claim would list them
     * @param dingtalkUserId the user's DingTalk userId, if linked
     */
    record SandboxUser(
            String username,
            String password,
            @DefaultValue List<String> scopes,
            @Nullable String dingtalkUserId) {}
}
