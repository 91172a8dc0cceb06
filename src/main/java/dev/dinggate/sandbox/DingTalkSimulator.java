package dev.dinggate.sandbox;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Profile;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * DingTalk's new-style API as the sandbox gateway sees it: same paths, same envelope, same error
 * codes, over a {@link SandboxOrganization}. Front-end developers build against the gateway with
 * it and no DingTalk credentials. Its event stream ({@code /v1.0/gateway/connections/open}) is {@link
 * SandboxEventStream}.
 */
@RestController
@Profile("sandbox")
@RequestMapping(DingTalkSimulator.NEW_STYLE_ROOT)
class DingTalkSimulator {

    static final String NEW_STYLE_ROOT = "/sandbox/dingtalk/api";

    private final SandboxOrganization organization = new SandboxOrganization();
    private final SandboxTokens tokens;
    private final SandboxEventStream stream;

    DingTalkSimulator(SandboxTokens tokens, SandboxEventStream stream) {
        this.tokens = tokens;
        this.stream = stream;
    }

    @PostMapping("/v1.0/oauth2/accessToken")
    ResponseEntity<Map<String, Object>> accessToken(@RequestBody Map<String, String> credentials) {
        String token = tokens.issue(credentials.get("appKey"), credentials.get("appSecret"));
        if (token == null) {
            return failure(400, "invalidClientIdOrSecret", "无效的clientId或者clientSecret");
        }
        return ResponseEntity.ok(Map.of("accessToken", token, "expireIn", 7200));
    }

    /**
     * Opens a stream connection: {@code {"clientId","clientSecret","subscriptions":[{"type":"EVENT","topic":"*"}],
     * "ua","localIp"}} → {@code {"endpoint","ticket"}}. Only a connection that subscribed to EVENT gets events.
     */
    @PostMapping("/v1.0/gateway/connections/open")
    ResponseEntity<Map<String, Object>> openConnection(@RequestBody Map<String, Object> body) {
        if (!tokens.isApp(
                body.get("clientId") instanceof String clientId ? clientId : null,
                body.get("clientSecret") instanceof String clientSecret ? clientSecret : null)) {
            return failure(401, "invalidClientIdOrSecret", "无效的clientId或者clientSecret");
        }
        boolean events = body.get("subscriptions") instanceof List<?> subscriptions
                && subscriptions.stream()
                        .anyMatch(subscription ->
                                subscription instanceof Map<?, ?> entry && "EVENT".equals(entry.get("type")));
        SandboxEventStream.Opened opened = stream.open(events);
        return ResponseEntity.ok(Map.of("endpoint", opened.endpoint(), "ticket", opened.ticket()));
    }

    @PostMapping("/v1.0/contact/orgAccounts/dingTalkIds/change")
    ResponseEntity<Map<String, Object>> changeDingTalkId(
            @RequestHeader(name = "x-acs-dingtalk-access-token", required = false) @Nullable String token,
            @RequestBody Map<String, String> body) {
        if (!tokens.isValid(token)) {
            return failure(400, "InvalidAuthentication", "不合法的access_token");
        }
        String code = organization.changeDingTalkId(
                String.valueOf(body.get("userId")), String.valueOf(body.get("dingTalkId")));
        return code == null ? ResponseEntity.ok(Map.of("result", true)) : failure(400, code, message(code));
    }

    @PutMapping("/v1.0/contact/orgAccounts/mobiles/visibleInOtherOrg")
    ResponseEntity<Map<String, Object>> visibleInOtherOrg(
            @RequestHeader(name = "x-acs-dingtalk-access-token", required = false) @Nullable String token,
            @RequestBody Map<String, Object> body) {
        if (!tokens.isValid(token)) {
            return failure(400, "InvalidAuthentication", "不合法的access_token");
        }
        boolean corpIdsValid = body.get("toCorpIds") instanceof List<?> corpIds
                && !corpIds.isEmpty()
                && corpIds.stream().allMatch(corpId -> corpId instanceof String text && text.startsWith("ding"));
        boolean operatorValid = body.get("optUserId") instanceof String optUserId && organization.isEmployee(optUserId);
        if (!corpIdsValid || !operatorValid) {
            return failure(400, "invalid.param", "Invalid parameter");
        }
        return ResponseEntity.ok(Map.of("result", true));
    }

    private static ResponseEntity<Map<String, Object>> failure(int status, String code, String message) {
        return ResponseEntity.status(status)
                .body(Map.of(
                        "code",
                        code,
                        "message",
                        message,
                        "requestid",
                        UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT)));
    }

    private static String message(String code) {
        return switch (code) {
            case "incorrect.format", "incorrect.length" -> "The DingTalk ID format is incorrect. Please re-enter it.";
            case "have.been.set" -> "You have already set a DingTalk ID and cannot change it.";
            case "emp.not.exist" -> "The employee does not exist.";
            case "internalenterpriseaccount.limit" ->
                "Only Enterprise Accounts belonging to your organization can be processed.";
            case "incorrect.reserved" -> "The DingTalk ID is already taken. Please re-enter it.";
            default -> code;
        };
    }
}
