package dev.dinggate.orgaccount;

import dev.dinggate.apidocs.OperationKind;
import dev.dinggate.apidocs.OperationProblems;
import dev.dinggate.apidocs.RequestExample;
import dev.dinggate.dingtalk.OrgAccountField;
import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.security.Caller;
import dev.dinggate.security.RequiresScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import java.util.Locale;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Enterprise Account operations of the public API (v1). */
@RestController
@RequestMapping("/api/v1/org-accounts")
@Tag(name = "Enterprise Accounts")
class OrgAccountController {

    /** DingTalk userIds are short ASCII tokens; anything else is refused before DingTalk sees it. */
    static final String USER_ID = "[A-Za-z0-9_-]{1,64}";

    private final OrgAccountService service;

    OrgAccountController(OrgAccountService service) {
        this.service = service;
    }

    @Operation(
            operationId = "changeDingTalkId",
            summary = "Change an Enterprise Account's DingTalk ID (once a year)",
            description = "Audited.")
    @RequiresScope("accounts:write")
    @OperationProblems(
            kind = OperationKind.AUDITED_DINGTALK_CALL,
            value = {
                GatewayProblem.DINGTALK_ID_INVALID,
                GatewayProblem.ACCOUNT_NOT_FOUND,
                GatewayProblem.DINGTALK_ID_TAKEN,
                GatewayProblem.DINGTALK_ID_ALREADY_CHANGED,
                GatewayProblem.ACCOUNT_NOT_ENTERPRISE_ACCOUNT
            })
    @RequestExample(name = "change", json = "{\"dingTalkId\":\"lisi2026\"}")
    @PutMapping("/{userId}/dingtalk-id")
    DingTalkIdChanged changeDingTalkId(
            @PathVariable @Pattern(regexp = USER_ID, message = "must be 1 to 64 letters, digits, '_' or '-'")
                    String userId,
            @Valid @RequestBody ChangeDingTalkIdRequest request,
            Caller caller) {
        return service.changeDingTalkId(caller, userId, request.dingTalkId());
    }

    @Operation(
            operationId = "makeVisibleInOtherOrgs",
            summary = "Make Enterprise Account fields visible in other organisations",
            description = "DingTalk records the caller's own DingTalk userId as optUserId. Audited.")
    @RequiresScope("accounts:write")
    @OperationProblems(
            kind = OperationKind.AUDITED_DINGTALK_CALL,
            value = {GatewayProblem.VISIBILITY_INVALID, GatewayProblem.CALLER_NOT_LINKED})
    @RequestExample(name = "mobile only (default)", json = "{\"corpIds\":[\"ding12345678\"]}")
    @RequestExample(
            name = "mobile and status",
            json = "{\"corpIds\":[\"ding12345678\"],\"fields\":[\"mobile\",\"status\"]}")
    @PutMapping("/visibility")
    VisibilityGranted makeVisibleInOtherOrgs(@Valid @RequestBody VisibilityRequest request, Caller caller) {
        List<String> requested = request.fields() == null ? List.of() : request.fields();
        List<OrgAccountField> fields = requested.stream()
                .distinct()
                .map(name -> OrgAccountField.valueOf(name.toUpperCase(Locale.ROOT)))
                .toList();
        return service.makeVisibleInOtherOrgs(
                caller, request.corpIds().stream().distinct().toList(), fields);
    }
}
