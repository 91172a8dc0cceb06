package dev.dinggate.orgaccount;

import java.util.List;

/** Answer of a successful visibility change: the organisations and the fields now visible there. */
public record VisibilityGranted(List<String> corpIds, List<String> fields) {}
