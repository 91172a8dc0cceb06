package dev.dinggate.directory;

/** A department as the mirror holds it; {@code parentId} is 0 for the root. */
public record MirroredDepartment(long id, String name, long parentId) {}
