package dev.dinggate.contact;

import dev.dinggate.dingtalk.DingTalkContacts;
import dev.dinggate.dingtalk.DingTalkDepartment;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Every employee below a department, each once: DingTalk has no "all employees" API, so the walk
 * lists sub-departments level by level ({@code listsub} returns one level) and the members of each
 * ({@code listid}), a few departments at a time. Found userIds wait in a bounded queue, so a slow
 * reader slows the walk instead of filling memory; closing the walk stops it.
 */
final class EmployeeWalk implements AutoCloseable {

    private static final int BUFFERED_USER_IDS = 2_000;

    private final DingTalkContacts contacts;
    private final ExecutorService workers;
    private final BlockingQueue<String> found = new LinkedBlockingQueue<>(BUFFERED_USER_IDS);
    private final Set<String> seenUsers = ConcurrentHashMap.newKeySet();
    private final Set<Long> seenDepartments = ConcurrentHashMap.newKeySet();
    private final AtomicInteger departmentsInProgress = new AtomicInteger();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private volatile boolean closed;

    EmployeeWalk(DingTalkContacts contacts, long rootDepartmentId, int concurrency) {
        this.contacts = contacts;
        this.workers = Executors.newFixedThreadPool(
                concurrency, Thread.ofVirtual().name("employee-walk-", 0).factory());
        visitLater(rootDepartmentId);
    }

    /** The next employee's userId, waiting for the walk if needed; null once every department is done. */
    @Nullable
    String next() throws InterruptedException {
        while (true) {
            String userId = found.poll(50, TimeUnit.MILLISECONDS);
            if (userId != null) {
                return userId;
            }
            RuntimeException failed = failure.get();
            if (failed != null) {
                throw failed;
            }
            // Workers queue their users before they count their department done, so nothing can follow this.
            if (departmentsInProgress.get() == 0 && found.isEmpty()) {
                return null;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        workers.shutdownNow();
    }

    private void visitLater(long departmentId) {
        if (closed || !seenDepartments.add(departmentId)) {
            return;
        }
        departmentsInProgress.incrementAndGet();
        try {
            workers.execute(() -> visitCounted(departmentId));
        } catch (RejectedExecutionException closedMeanwhile) {
            departmentsInProgress.decrementAndGet();
        }
    }

    private void visitCounted(long departmentId) {
        try {
            visit(departmentId);
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException failed) {
            failure.compareAndSet(null, failed);
            close();
        } finally {
            departmentsInProgress.decrementAndGet();
        }
    }

    private void visit(long departmentId) throws InterruptedException {
        if (closed) {
            return;
        }
        List<DingTalkDepartment> children = contacts.subDepartments(departmentId);
        for (DingTalkDepartment child : children) {
            visitLater(child.id());
        }
        if (closed) {
            return;
        }
        for (String userId : contacts.userIdsIn(departmentId)) {
            if (seenUsers.add(userId)) {
                found.put(userId);
            }
        }
    }
}
