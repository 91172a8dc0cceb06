package dev.dinggate.dingtalk;

/** A department as {@code topapi/v2/department/listsub} lists it. */
public record DingTalkDepartment(long id, String name, long parentId) {}
