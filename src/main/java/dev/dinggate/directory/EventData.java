package dev.dinggate.directory;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ids a contact event's data names: {@code {"userId":["u1",...]}} or {@code {"deptId":[3,...]}}, a list or a
 * single value, numbers or strings; other fields are not read.
 */
final class EventData {

    static final String USER_IDS = "userId";
    static final String DEPARTMENT_IDS = "deptId";

    /** DingTalk's userIds are at most 64 characters, as the mirror's column. */
    private static final int LONGEST_USER_ID = 64;

    private EventData() {}

    /** The userIds named; none when the data is not JSON or names none. */
    static List<String> userIds(JsonMapper json, String data) {
        List<String> ids = new ArrayList<>();
        for (JsonNode value : values(json, data, USER_IDS)) {
            String id = value.isString() || value.isNumber() ? value.asString().strip() : "";
            if (!id.isEmpty() && id.length() <= LONGEST_USER_ID && !ids.contains(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** The department ids named; none when the data is not JSON or names none. */
    static List<Long> departmentIds(JsonMapper json, String data) {
        List<Long> ids = new ArrayList<>();
        for (JsonNode value : values(json, data, DEPARTMENT_IDS)) {
            Long id = null;
            if (value.isIntegralNumber() && value.canConvertToLong()) {
                id = value.asLong();
            } else if (value.isString()) {
                try {
                    id = Long.parseLong(value.asString().strip());
                } catch (NumberFormatException notAnId) {
                    id = null;
                }
            }
            if (id != null && id > 0 && !ids.contains(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    private static List<JsonNode> values(JsonMapper json, String data, String field) {
        JsonNode named;
        try {
            named = json.readTree(data).path(field);
        } catch (JacksonException notJson) {
            return List.of();
        }
        if (named.isArray()) {
            List<JsonNode> values = new ArrayList<>();
            named.forEach(values::add);
            return values;
        }
        return named.isMissingNode() || named.isNull() ? List.of() : List.of(named);
    }
}
