package dev.dinggate.sandbox;

import dev.dinggate.dingtalk.DingTalkProperties;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/** Access tokens the simulator has issued, shared by its new-style and old-style endpoints. */
@Component
@Profile("sandbox")
class SandboxTokens {

    private final Set<String> issued = ConcurrentHashMap.newKeySet();
    private final DingTalkProperties properties;

    SandboxTokens(DingTalkProperties properties) {
        this.properties = properties;
    }

    /** A new token for the sandbox app's own credentials, or null for any others. */
    @Nullable
    String issue(@Nullable String appKey, @Nullable String appSecret) {
        if (!isApp(appKey, appSecret)) {
            return null;
        }
        String token = UUID.randomUUID().toString().replace("-", "");
        issued.add(token);
        return token;
    }

    /** Whether these are the sandbox app's own credentials (DingTalk's stream calls them clientId and secret). */
    boolean isApp(@Nullable String appKey, @Nullable String appSecret) {
        return Objects.equals(appKey, properties.appKey()) && Objects.equals(appSecret, properties.appSecret());
    }

    boolean isValid(@Nullable String token) {
        return token != null && issued.contains(token);
    }
}
