package dev.dinggate.contact;

import dev.dinggate.apidocs.OperationKind;
import dev.dinggate.apidocs.OperationProblems;
import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.security.QuotaFree;
import dev.dinggate.security.RequiresScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/departments}: the department tree below the root (or below {@code departmentId}). */
@RestController
@Tag(name = "Departments")
class DepartmentController {

    private final DepartmentTree tree;

    DepartmentController(DepartmentTree tree) {
        this.tree = tree;
    }

    @Operation(
            operationId = "departmentTree",
            summary = "The department tree",
            description = "Below the root (1) or departmentId. From the directory mirror once it is ready (no "
                    + "DingTalk quota spent), else read level by level from DingTalk.")
    @RequiresScope("users:read")
    @QuotaFree
    @OperationProblems(kind = OperationKind.DINGTALK_READ, value = GatewayProblem.DEPARTMENT_INVALID)
    @GetMapping("/api/v1/departments")
    List<DepartmentNode> departments(@RequestParam(required = false) @Nullable Long departmentId) {
        long root = departmentId == null ? 1 : departmentId;
        if (root <= 0) {
            throw ContactProblems.departmentMinus7();
        }
        try {
            return tree.below(root);
        } catch (DingTalkException failure) {
            throw ContactProblems.explain(failure);
        }
    }
}
