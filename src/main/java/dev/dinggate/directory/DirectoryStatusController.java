package dev.dinggate.directory;

import dev.dinggate.apidocs.OperationKind;
import dev.dinggate.apidocs.OperationProblems;
import dev.dinggate.security.RequiresScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/directory/status}: the mirror's state for operators. */
@RestController
@Tag(name = "Directory")
class DirectoryStatusController {

    private final MirrorStatus status;

    DirectoryStatusController(MirrorStatus status) {
        this.status = status;
    }

    @Operation(
            operationId = "directoryStatus",
            summary = "The directory mirror's state",
            description = "filling until the first full sync completed, then ready; stale when no full sync or "
                    + "event confirmed it for gateway.directory.stale-after; off when switched off. "
                    + "streamConnected is this replica's own connection.")
    @RequiresScope("ops")
    @OperationProblems(kind = OperationKind.LOCAL_READ)
    @GetMapping("/api/v1/directory/status")
    DirectoryStatus status() {
        return status.status();
    }
}
