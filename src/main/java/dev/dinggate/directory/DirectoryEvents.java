package dev.dinggate.directory;

import dev.dinggate.budget.BackgroundWork;
import dev.dinggate.dingtalk.DingTalkContacts;
import dev.dinggate.dingtalk.DingTalkDepartment;
import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.dingtalk.DingTalkUser;
import dev.dinggate.dingtalk.stream.DingTalkEvent;
import dev.dinggate.dingtalk.stream.DingTalkEventListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps the mirror fresh from DingTalk's contact events. An event only names who or what changed: each is read
 * again from DingTalk and the answer written, as of when the read started, so events that arrive twice or out of
 * order end in DingTalk's state. An event DingTalk could not be asked about now is left for DingTalk to deliver
 * again.
 */
@Component
@ConditionalOnBooleanProperty(name = "gateway.directory.enabled", matchIfMissing = true)
class DirectoryEvents implements DingTalkEventListener {

    private static final Logger log = LoggerFactory.getLogger(DirectoryEvents.class);

    private static final Set<String> USER_EVENTS =
            Set.of("user_add_org", "user_modify_org", "user_leave_org", "user_active_org");
    private static final Set<String> DEPARTMENT_EVENTS =
            Set.of("org_dept_create", "org_dept_modify", "org_dept_remove");

    private final DingTalkContacts contacts;
    private final MirrorWriter writer;
    private final JsonMapper json;
    private final double quotaShare;
    private final Clock clock;
    private final Map<String, Counter> outcomes;

    DirectoryEvents(
            DingTalkContacts contacts,
            MirrorWriter writer,
            JsonMapper json,
            @Value("${gateway.batch.quota-share:0.8}") double quotaShare,
            ObjectProvider<Clock> clock,
            MeterRegistry meters) {
        this.contacts = contacts;
        this.writer = writer;
        this.json = json;
        this.quotaShare = quotaShare;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
        this.outcomes = Stream.of("applied", "duplicate", "later", "ignored")
                .collect(Collectors.toMap(
                        Function.identity(),
                        outcome -> Counter.builder("gateway.directory.events")
                                .description("Contact events from DingTalk's stream received by this replica, by what "
                                        + "became of them")
                                .tag("outcome", outcome)
                                .register(meters)));
    }

    @Override
    public Acknowledgement onEvent(DingTalkEvent event) {
        try {
            if (!USER_EVENTS.contains(event.eventType()) && !DEPARTMENT_EVENTS.contains(event.eventType())) {
                return counted("ignored", Acknowledgement.SUCCESS);
            }
            if (writer.eventSeen(event.eventId())) {
                return counted("duplicate", Acknowledgement.SUCCESS);
            }
            List<Runnable> writes = readWhatItNames(event);
            if (writes == null) {
                return counted("ignored", Acknowledgement.SUCCESS);
            }
            boolean first = writer.write(() -> {
                writes.forEach(Runnable::run);
                return writer.recordEvent(event.eventId(), clock.instant());
            });
            return counted(first ? "applied" : "duplicate", Acknowledgement.SUCCESS);
        } catch (DingTalkException failed) {
            log.info(
                    "Directory event {} ({}) left for DingTalk to deliver again, DingTalk's read failed: {}",
                    event.eventId(),
                    event.eventType(),
                    failed.getMessage());
            return counted("later", Acknowledgement.LATER);
        } catch (DataAccessException unavailable) {
            log.warn(
                    "Directory event {} ({}) left for DingTalk to deliver again, database unavailable: {}",
                    event.eventId(),
                    event.eventType(),
                    unavailable.getMessage());
            return counted("later", Acknowledgement.LATER);
        }
    }

    /** The writes of what DingTalk answers now about what a contact event names; null when it names nothing. */
    private @Nullable List<Runnable> readWhatItNames(DingTalkEvent event) {
        List<Runnable> writes = new ArrayList<>();
        if (USER_EVENTS.contains(event.eventType())) {
            EventData.userIds(json, event.data()).forEach(userId -> writes.add(readUser(userId)));
        } else {
            EventData.departmentIds(json, event.data()).forEach(id -> writes.add(readDepartment(id)));
        }
        if (writes.isEmpty()) {
            log.warn(
                    "Directory event {} ({}) names no {} in its data: ignored",
                    event.eventId(),
                    event.eventType(),
                    USER_EVENTS.contains(event.eventType()) ? EventData.USER_IDS : EventData.DEPARTMENT_IDS);
            return null;
        }
        return writes;
    }

    private Runnable readUser(String userId) {
        Instant readAt = clock.instant();
        try {
            DingTalkUser user = BackgroundWork.run(quotaShare, () -> contacts.user(userId));
            return () -> writer.upsertUsers(List.of(user), readAt);
        } catch (DingTalkException failed) {
            if (Gone.user(failed)) {
                return () -> writer.removeUser(userId, readAt);
            }
            throw failed;
        }
    }

    private Runnable readDepartment(long departmentId) {
        Instant readAt = clock.instant();
        try {
            DingTalkDepartment department = BackgroundWork.run(quotaShare, () -> contacts.department(departmentId));
            return () -> writer.upsertDepartments(List.of(department), readAt);
        } catch (DingTalkException failed) {
            if (Gone.department(failed)) {
                return () -> writer.removeDepartment(departmentId, readAt);
            }
            throw failed;
        }
    }

    private Acknowledgement counted(String outcome, Acknowledgement acknowledgement) {
        outcomes.get(outcome).increment();
        return acknowledgement;
    }
}
