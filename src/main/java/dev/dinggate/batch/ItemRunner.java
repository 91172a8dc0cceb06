package dev.dinggate.batch;

import dev.dinggate.audit.BatchAttempt;
import dev.dinggate.budget.BackgroundWork;
import dev.dinggate.contact.CreatedUser;
import dev.dinggate.contact.UserService;
import dev.dinggate.contact.UserUpdated;
import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.dingtalk.OrgAccountField;
import dev.dinggate.orgaccount.OrgAccountService;
import dev.dinggate.problem.GatewayProblemException;
import dev.dinggate.problem.RequestIds;
import dev.dinggate.security.Caller;
import dev.dinggate.web.Problems;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends one item through the same feature service method its single call uses, as the batch's creator,
 * marked as background work and as an attempt of the batch (so it is paced in the batch's share and
 * audited with the batch id); answers what the single call would have answered.
 */
@Component
class ItemRunner {

    private final OrgAccountService orgAccounts;
    private final UserService users;
    private final BatchItems items;
    private final JsonMapper json;

    ItemRunner(OrgAccountService orgAccounts, UserService users, BatchItems items, JsonMapper json) {
        this.orgAccounts = orgAccounts;
        this.users = users;
        this.items = items;
        this.json = json;
    }

    /** What a single call answers on success: status and body. */
    private record Answer(int status, @Nullable Object body) {}

    BatchStore.Outcome run(UUID batchId, Caller creator, BatchStore.StoredItem item, UUID auditEventId, double share) {
        String requestId = batchId + "/" + item.index();
        String outer = MDC.get(RequestIds.MDC_KEY);
        MDC.put(RequestIds.MDC_KEY, requestId);
        try {
            BatchItem parsed = items.read(json.readTree(item.request()));
            BatchAttempt attempt = new BatchAttempt(batchId, auditEventId);
            Answer answer = BackgroundWork.run(share, () -> attempt.run(() -> send(creator, parsed)));
            return new BatchStore.Outcome(
                    "succeeded",
                    answer.status(),
                    null,
                    answer.body() == null ? null : json.writeValueAsString(answer.body()));
        } catch (BatchItems.InvalidItem invalid) {
            // Valid when submitted; only an upgrade of the gateway between submit and send can get here.
            return failure(new GatewayProblemException(invalid.problem(), invalid.getMessage()), batchId, requestId);
        } catch (RuntimeException failure) {
            return failure(failure, batchId, requestId);
        } finally {
            if (outer == null) {
                MDC.remove(RequestIds.MDC_KEY);
            } else {
                MDC.put(RequestIds.MDC_KEY, outer);
            }
        }
    }

    private Answer send(Caller creator, BatchItem item) {
        return switch (item) {
            case BatchItem.ChangeDingTalkId change ->
                new Answer(
                        200,
                        orgAccounts.changeDingTalkId(
                                creator, change.userId(), change.request().dingTalkId()));
            case BatchItem.MakeVisible visible -> {
                // As OrgAccountController reads the body: distinct corpIds and fields, absent fields as none.
                List<String> requested = visible.request().fields() == null
                        ? List.of()
                        : visible.request().fields();
                List<OrgAccountField> fields = requested.stream()
                        .distinct()
                        .map(name -> OrgAccountField.valueOf(name.toUpperCase(Locale.ROOT)))
                        .toList();
                yield new Answer(
                        200,
                        orgAccounts.makeVisibleInOtherOrgs(
                                creator,
                                visible.request().corpIds().stream().distinct().toList(),
                                fields));
            }
            case BatchItem.CreateUser create -> {
                CreatedUser created = users.create(creator, create.request());
                yield new Answer(created.state().equals("invited") ? 202 : 201, created);
            }
            case BatchItem.UpdateUser update -> {
                users.update(creator, update.userId(), update.request());
                yield new Answer(
                        200, new UserUpdated(update.userId(), update.request().changedFields()));
            }
            case BatchItem.DeleteUser delete -> {
                users.delete(creator, delete.userId());
                yield new Answer(204, null);
            }
        };
    }

    private BatchStore.Outcome failure(RuntimeException failure, UUID batchId, String requestId) {
        Problems.Answer answer = Problems.forFailure(failure, URI.create("/api/v1/batches/" + batchId), requestId);
        return new BatchStore.Outcome(
                stateOf(failure),
                answer.body().getStatus(),
                (String) answer.body().getProperties().get("code"),
                json.writeValueAsString(Problems.asMap(answer.body())));
    }

    /** As the audit trail judges it: a refusal did not change anything; a lost answer may have. */
    private static String stateOf(RuntimeException failure) {
        DingTalkException upstream = failure instanceof DingTalkException direct
                ? direct
                : failure instanceof GatewayProblemException problem ? problem.upstream() : null;
        if (upstream == null) {
            return failure instanceof GatewayProblemException ? "failed" : "unknown";
        }
        return switch (upstream) {
            case DingTalkException.OutcomeUnknown unknown -> "unknown";
            case DingTalkException.UnexpectedResponse unexpected -> "unknown";
            default -> "failed";
        };
    }
}
