package dev.dinggate.batch;

import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.problem.GatewayProblemException;
import dev.dinggate.security.Caller;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Takes batches (every item checked before anything is stored), shows them to who may see them, cancels them. */
@Service
class BatchService {

    private final BatchItems items;
    private final BatchStore store;
    private final BatchScheduling.BatchScheduler scheduler;
    private final BatchProperties properties;
    private final TransactionTemplate transaction;
    private final JsonMapper json;
    private final Clock clock;

    BatchService(
            BatchItems items,
            BatchStore store,
            BatchScheduling.BatchScheduler scheduler,
            BatchProperties properties,
            TransactionTemplate transaction,
            JsonMapper json,
            ObjectProvider<Clock> clock) {
        this.items = items;
        this.store = store;
        this.scheduler = scheduler;
        this.properties = properties;
        this.transaction = transaction;
        this.json = json;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    BatchView submit(Caller caller, BatchRequest request) {
        List<JsonNode> submitted = request.items();
        if (submitted == null || submitted.isEmpty() || submitted.size() > properties.maxItems()) {
            throw new InvalidBatchException(
                    "A batch holds 1 to " + properties.maxItems() + " items; this one has "
                            + (submitted == null ? 0 : submitted.size()) + ".",
                    List.of());
        }
        requireScopes(caller, submitted);
        List<BatchStore.StoredItem> stored = new ArrayList<>();
        List<Map<String, Object>> errors = new ArrayList<>();
        for (int index = 0; index < submitted.size(); index++) {
            try {
                BatchItem item = items.read(submitted.get(index));
                stored.add(new BatchStore.StoredItem(
                        index,
                        item.operation(),
                        json.writeValueAsString(submitted.get(index)),
                        "pending",
                        null,
                        null,
                        null));
            } catch (BatchItems.InvalidItem invalid) {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("index", index);
                error.put("code", invalid.problem().code());
                error.put("detail", invalid.getMessage());
                errors.add(error);
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidBatchException(
                    errors.size() + " of " + submitted.size() + " items are invalid; nothing was queued. See errors.",
                    errors);
        }
        UUID id = UUID.randomUUID();
        BatchStore.StoredBatch batch =
                new BatchStore.StoredBatch(id, "queued", clock.instant(), null, stored.size(), caller);
        transaction.executeWithoutResult(status -> {
            store.insert(batch, stored);
            scheduler.schedule(id);
        });
        scheduler.checkNow();
        return view(store.batch(id).orElseThrow());
    }

    /** Its creator sees a batch, and so does an auditor; to anyone else it does not exist. */
    BatchView find(Caller caller, UUID id) {
        BatchStore.StoredBatch batch = store.batch(id)
                .filter(found -> isCreator(caller, found) || caller.scopes().contains("audit:read"))
                .orElseThrow(() -> notFound(id));
        return view(batch);
    }

    BatchView cancel(Caller caller, UUID id) {
        BatchStore.StoredBatch batch =
                store.batch(id).filter(found -> isCreator(caller, found)).orElseThrow(() -> notFound(id));
        store.cancel(batch.id(), clock.instant());
        return view(store.batch(id).orElseThrow());
    }

    /** Every scope the items need, as their single calls would: 403 for the whole batch if one is missing. */
    private static void requireScopes(Caller caller, List<JsonNode> submitted) {
        TreeSet<String> missing = new TreeSet<>();
        boolean visibility = false;
        for (JsonNode item : submitted) {
            JsonNode name = item.isObject() ? item.get("operation") : null;
            if (name == null || !name.isString()) {
                continue; // reported as invalid with its index
            }
            BatchOperation operation = BatchOperation.named(name.asString()).orElse(null);
            if (operation == null) {
                continue;
            }
            if (!caller.scopes().contains(operation.scope())) {
                missing.add(operation.scope());
            }
            visibility |= operation == BatchOperation.MAKE_VISIBLE;
        }
        if (!missing.isEmpty()) {
            throw new GatewayProblemException(
                    GatewayProblem.AUTH_FORBIDDEN,
                    "The caller's scopes do not allow every item of this batch: it also needs "
                            + String.join(", ", missing) + ".");
        }
        if (visibility) {
            caller.requireDingTalkUserId();
        }
    }

    private static boolean isCreator(Caller caller, BatchStore.StoredBatch batch) {
        return batch.creator().principal().equals(caller.principal())
                && Objects.equals(batch.creator().clientId(), caller.clientId());
    }

    private static GatewayProblemException notFound(UUID id) {
        return new GatewayProblemException(
                GatewayProblem.BATCH_NOT_FOUND, "There is no batch " + id + " for this caller.");
    }

    private BatchView view(BatchStore.StoredBatch batch) {
        int pending = 0, succeeded = 0, failed = 0, unknown = 0, cancelled = 0;
        List<BatchView.Item> shown = new ArrayList<>();
        for (BatchStore.StoredItem item : store.items(batch.id())) {
            // An item in flight has no outcome yet: it is shown as pending, and a DELETE no longer stops it.
            String state = item.state().equals("sending") ? "pending" : item.state();
            switch (state) {
                case "pending" -> pending++;
                case "succeeded" -> succeeded++;
                case "failed" -> failed++;
                case "unknown" -> unknown++;
                default -> cancelled++;
            }
            shown.add(new BatchView.Item(
                    item.index(),
                    item.operation().wireName(),
                    state,
                    item.status(),
                    item.code(),
                    item.result() == null ? null : json.readTree(item.result())));
        }
        return new BatchView(
                batch.id(),
                batch.state(),
                batch.createdAt(),
                batch.completedAt(),
                batch.total(),
                new BatchView.Counts(pending, succeeded, failed, unknown, cancelled),
                shown);
    }
}
