package dev.dinggate.directory;

import java.util.List;

/**
 * An answer of {@code GET /api/v1/directory/changes}: changes oldest first, and the cursor to ask with next time
 * (the same cursor again when nothing changed).
 */
public record ChangeFeed(List<DirectoryChange> changes, String nextCursor) {}
