package dev.dinggate.security;

import java.util.Collection;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;

/** A sandbox HTTP Basic user, carrying the DingTalk userId that a production JWT would carry as a claim. */
final class SandboxPrincipal extends User {

    private final @Nullable String dingTalkUserId;

    SandboxPrincipal(
            String username,
            String password,
            Collection<? extends GrantedAuthority> authorities,
            @Nullable String dingTalkUserId) {
        super(username, password, authorities);
        this.dingTalkUserId = dingTalkUserId;
    }

    @Nullable
    String dingTalkUserId() {
        return dingTalkUserId;
    }
}
