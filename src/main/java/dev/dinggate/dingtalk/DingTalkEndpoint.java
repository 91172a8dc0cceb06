package dev.dinggate.dingtalk;

import dev.dinggate.dingtalk.internal.DingTalkTransport;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/dingtalk} for operators (scope {@code ops}): token metadata (never the token)
 * and pacing state; a POST fetches a fresh token, e.g. after the app secret was rotated.
 */
@Component
@Endpoint(id = "dingtalk")
class DingTalkEndpoint {

    private final DingTalkTransport transport;

    DingTalkEndpoint(DingTalkTransport transport) {
        this.transport = transport;
    }

    @ReadOperation
    State state() {
        return new State(transport.tokenState(), transport.pacingState());
    }

    @WriteOperation
    TokenState refreshToken() {
        return transport.refreshToken();
    }

    /** What {@code GET /actuator/dingtalk} answers. */
    record State(TokenState token, PacingState pacing) {}
}
