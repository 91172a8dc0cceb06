package dev.dinggate.contact;

import java.util.List;

/** A department and, recursively, the departments below it. */
record DepartmentNode(long id, String name, long parentId, List<DepartmentNode> children) {}
