package dev.dinggate.contact;

import dev.dinggate.dingtalk.DingTalkException;
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
            description = "Scope users:read. Below the root (1) or departmentId.")
    @GetMapping("/api/v1/departments")
    List<DepartmentNode> departments(@RequestParam(required = false) @Nullable Long departmentId) {
        long root = departmentId == null ? 1 : departmentId;
        if (root <= 0) {
            throw ContactProblems.departmentMinus7();
        }
        try {
            return tree.below(root);
        } catch (DingTalkException.Rejected rejected) {
            throw ContactProblems.explain(rejected);
        }
    }
}
