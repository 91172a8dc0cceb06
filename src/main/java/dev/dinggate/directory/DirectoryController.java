package dev.dinggate.directory;

import dev.dinggate.apidocs.OperationKind;
import dev.dinggate.apidocs.OperationProblems;
import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.security.QuotaFree;
import dev.dinggate.security.RequiresScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The directory routes: search and paging over the mirror, and its change feed. None calls DingTalk. */
@RestController
@Tag(name = "Directory")
class DirectoryController {

    private final DirectoryReads reads;

    DirectoryController(DirectoryReads reads) {
        this.reads = reads;
    }

    @Operation(
            operationId = "searchUsers",
            summary = "Search and page through users",
            description = "Served from the directory mirror: costs no DingTalk quota. q matches the start of the "
                    + "name, job number or title, case-insensitively; users come in name order.")
    @RequiresScope("users:read")
    @QuotaFree
    @OperationProblems(
            kind = OperationKind.LOCAL_READ,
            value = {GatewayProblem.DIRECTORY_CURSOR_INVALID, GatewayProblem.DIRECTORY_NOT_READY})
    @GetMapping("/api/v1/directory/users")
    UserSearchPage users(@Valid @ParameterObject UserSearch search) {
        return reads.search(search);
    }

    @Operation(
            operationId = "directoryChanges",
            summary = "What changed in the directory since a cursor",
            description = "Oldest first, at most 500 at a time: ask again with nextCursor until no changes come. "
                    + "Without since: no changes, and the cursor to start from.")
    @RequiresScope("users:read")
    @QuotaFree
    @OperationProblems(
            kind = OperationKind.LOCAL_READ,
            value = {GatewayProblem.DIRECTORY_CURSOR_INVALID, GatewayProblem.DIRECTORY_NOT_READY})
    @GetMapping("/api/v1/directory/changes")
    ChangeFeed changes(
            @RequestParam(required = false) @Size(max = 1024, message = "must be at most 1024 characters") @Nullable
                    String since) {
        return reads.changes(since);
    }
}
