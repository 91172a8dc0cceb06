package dev.dinggate.contact;

import dev.dinggate.dingtalk.DingTalkContacts;
import dev.dinggate.dingtalk.DingTalkDepartment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.springframework.stereotype.Component;

/**
 * The department tree, built from {@code listsub} (one level per call). Branches are listed in
 * parallel on virtual threads, but only {@code walk-concurrency} calls are in flight at once: the
 * permit covers the DingTalk call, never the wait for a branch, so deep trees cannot deadlock.
 */
@Component
class DepartmentTree {

    private final DingTalkContacts contacts;
    private final Semaphore callsInFlight;

    DepartmentTree(DingTalkContacts contacts, ContactProperties properties) {
        this.contacts = contacts;
        this.callsInFlight = new Semaphore(properties.walkConcurrency());
    }

    List<DepartmentNode> below(long rootDepartmentId) {
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            return childrenOf(rootDepartmentId, workers);
        }
    }

    private List<DepartmentNode> childrenOf(long departmentId, ExecutorService workers) {
        List<DingTalkDepartment> children;
        callsInFlight.acquireUninterruptibly();
        try {
            children = contacts.subDepartments(departmentId);
        } finally {
            callsInFlight.release();
        }
        List<Future<List<DepartmentNode>>> grandchildren = new ArrayList<>();
        for (DingTalkDepartment child : children) {
            grandchildren.add(workers.submit(() -> childrenOf(child.id(), workers)));
        }
        List<DepartmentNode> nodes = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            DingTalkDepartment child = children.get(i);
            nodes.add(new DepartmentNode(child.id(), child.name(), child.parentId(), join(grandchildren.get(i))));
        }
        return nodes;
    }

    private static List<DepartmentNode> join(Future<List<DepartmentNode>> future) {
        try {
            return future.get();
        } catch (ExecutionException failed) {
            throw failed.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(failed);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing departments", interrupted);
        }
    }
}
