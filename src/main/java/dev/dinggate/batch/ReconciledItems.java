package dev.dinggate.batch;

import dev.dinggate.audit.ChangeReconciled;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** A batch item left {@code unknown} settles when the reconciler settles the change its attempt recorded. */
@Component
class ReconciledItems {

    private final BatchStore store;

    ReconciledItems(BatchStore store) {
        this.store = store;
    }

    @EventListener
    void settle(ChangeReconciled settled) {
        store.settle(settled.auditEventId(), settled.outcome());
    }
}
