package dev.dinggate.dingtalk;

import dev.dinggate.dingtalk.internal.DingTalkTransport;
import java.util.Map;
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
    Map<String, Object> state() {
        return Map.of("token", transport.tokenState(), "pacing", transport.pacingState());
    }

    @WriteOperation
    TokenState refreshToken() {
        return transport.refreshToken();
    }
}
