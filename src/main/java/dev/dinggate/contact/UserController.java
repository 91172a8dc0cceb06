package dev.dinggate.contact;

import dev.dinggate.apidocs.OperationKind;
import dev.dinggate.apidocs.OperationProblems;
import dev.dinggate.apidocs.RequestExample;
import dev.dinggate.directory.UserDetails;
import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.security.Caller;
import dev.dinggate.security.QuotaFree;
import dev.dinggate.security.RequiresScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** User operations of the public API (v1). */
@RestController
@RequestMapping("/api/v1/users")
@Tag(name = "Users")
class UserController {

    static final String USER_ID = "[A-Za-z0-9_-]{1,64}";
    static final String USER_ID_MESSAGE = "must be 1 to 64 letters, digits, '_' or '-'";

    private final UserService users;

    UserController(UserService users) {
        this.users = users;
    }

    @Operation(
            operationId = "userDetails",
            summary = "User details",
            description = "From the directory mirror (no DingTalk quota spent) when it holds the user, else from "
                    + "DingTalk; consistency=strong always reads DingTalk. asOf says when DingTalk last confirmed the "
                    + "answer; unavailableFields says why a field is missing.")
    @RequiresScope("users:read")
    @QuotaFree(unlessParameter = "consistency=strong")
    @OperationProblems(kind = OperationKind.DINGTALK_READ, value = GatewayProblem.USER_NOT_FOUND)
    @GetMapping("/{userId}")
    UserDetails details(
            @PathVariable @Pattern(regexp = USER_ID, message = USER_ID_MESSAGE) String userId,
            @Parameter(description = "strong: read DingTalk now, not the mirror")
                    @RequestParam(required = false)
                    @Pattern(regexp = "strong|mirror", message = "must be strong or mirror")
                    @Nullable
                    String consistency) {
        return users.details(userId, "strong".equals(consistency));
    }

    @Operation(
            operationId = "lookupUser",
            summary = "Find a userId by unionId or mobile number",
            description = "Mobile numbers travel in the body only; mobile look-ups are audited.")
    @RequiresScope("users:read")
    @OperationProblems(
            kind = OperationKind.AUDITED_DINGTALK_CALL,
            value = {GatewayProblem.LOOKUP_INVALID, GatewayProblem.USER_MOBILE_INVALID, GatewayProblem.USER_NOT_FOUND})
    @RequestExample(name = "by mobile", json = "{\"mobile\":\"+86-13800001001\"}")
    @RequestExample(name = "by unionId", json = "{\"unionId\":\"union-user1001\"}")
    @PostMapping("/lookup")
    UserLookupResult lookup(@Valid @RequestBody UserLookupRequest request, Caller caller) {
        return users.lookup(caller, request);
    }

    @Operation(
            operationId = "createUser",
            summary = "Create a user",
            description = "202 with state invited when DingTalk sent an invitation instead. Audited.")
    @RequiresScope("users:write")
    @OperationProblems(
            kind = OperationKind.AUDITED_DINGTALK_CALL,
            value = {
                GatewayProblem.USER_MOBILE_INVALID,
                GatewayProblem.DEPARTMENT_INVALID,
                GatewayProblem.USER_MOBILE_TAKEN,
                GatewayProblem.USER_ID_TAKEN
            })
    @RequestExample(
            name = "create",
            json = "{\"name\":\"Zhou Jiu\",\"mobile\":\"+86-13912345678\",\"departmentIds\":[3],"
                    + "\"title\":\"Engineer\"}")
    @PostMapping
    ResponseEntity<CreatedUser> create(@Valid @RequestBody CreateUserRequest request, Caller caller) {
        CreatedUser created = users.create(caller, request);
        if (created.state().equals("invited")) {
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(created);
        }
        return ResponseEntity.created(URI.create("/api/v1/users/" + created.userId()))
                .body(created);
    }

    @Operation(
            operationId = "updateUser",
            summary = "Update a user (JSON merge patch)",
            description = "A mobile number cannot be changed (422); managerUserId null removes the manager. Audited.")
    @RequiresScope("users:write")
    @OperationProblems(
            kind = OperationKind.AUDITED_DINGTALK_CALL,
            value = {
                GatewayProblem.DEPARTMENT_INVALID,
                GatewayProblem.USER_NOT_FOUND,
                GatewayProblem.USER_MANAGED_BY_SMART_HR,
                GatewayProblem.USER_MOBILE_IMMUTABLE
            })
    @RequestExample(name = "new title", json = "{\"title\":\"Senior engineer\"}")
    @RequestExample(name = "remove the manager", json = "{\"managerUserId\":null}")
    @PatchMapping(
            path = "/{userId}",
            consumes = {"application/json", "application/merge-patch+json"})
    UserUpdated update(
            @PathVariable @Pattern(regexp = USER_ID, message = USER_ID_MESSAGE) String userId,
            @Valid @RequestBody UpdateUserRequest request,
            Caller caller) {
        users.update(caller, userId, request);
        return new UserUpdated(userId, request.changedFields());
    }

    @Operation(operationId = "deleteUser", summary = "Delete a user", description = "Audited.")
    @RequiresScope("users:write")
    @OperationProblems(kind = OperationKind.AUDITED_DINGTALK_CALL, value = GatewayProblem.USER_NOT_FOUND)
    @DeleteMapping("/{userId}")
    ResponseEntity<Void> delete(
            @PathVariable @Pattern(regexp = USER_ID, message = USER_ID_MESSAGE) String userId, Caller caller) {
        users.delete(caller, userId);
        return ResponseEntity.noContent().build();
    }
}
