package dev.dinggate.contact;

import dev.dinggate.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
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
            description = "Scope users:read. unavailableFields says why a field is missing.")
    @GetMapping("/{userId}")
    UserDetails details(@PathVariable @Pattern(regexp = USER_ID, message = USER_ID_MESSAGE) String userId) {
        return users.details(userId);
    }

    @Operation(
            operationId = "lookupUser",
            summary = "Find a userId by unionId or mobile number",
            description = "Scope users:read. " + "Mobile numbers travel in the body only; mobile look-ups are audited.")
    @PostMapping("/lookup")
    UserLookupResult lookup(@Valid @RequestBody UserLookupRequest request, Caller caller) {
        return users.lookup(caller, request);
    }

    @Operation(
            operationId = "createUser",
            summary = "Create a user",
            description =
                    "Scope users:write. 202 with state invited when DingTalk " + "sent an invitation instead. Audited.")
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
            description = "Scope users:write. A mobile number cannot "
                    + "be changed (422); managerUserId null removes the manager. Audited.")
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

    @Operation(operationId = "deleteUser", summary = "Delete a user", description = "Scope users:write. Audited.")
    @DeleteMapping("/{userId}")
    ResponseEntity<Void> delete(
            @PathVariable @Pattern(regexp = USER_ID, message = USER_ID_MESSAGE) String userId, Caller caller) {
        users.delete(caller, userId);
        return ResponseEntity.noContent().build();
    }
}
