package dev.dinggate.contact;

/** One employee in the stream of {@code GET /api/v1/users}. */
record EmployeeRef(String userId) {}
