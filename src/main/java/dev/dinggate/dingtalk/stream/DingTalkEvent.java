package dev.dinggate.dingtalk.stream;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One EVENT frame of DingTalk's stream, as its listener sees it.
 *
 * @param eventId DingTalk's id of the event: the same event can arrive more than once, de-duplicate by it
 * @param eventType e.g. {@code user_modify_org}, {@code org_dept_remove}
 * @param corpId the organisation the event is about
 * @param bornAt when DingTalk says the event happened
 * @param data the frame's data, a JSON text naming what changed (e.g. {@code {"userId":["u1"]}})
 */
public record DingTalkEvent(
        String eventId,
        String eventType,
        @Nullable String corpId,
        @Nullable Instant bornAt,
        String data) {}
