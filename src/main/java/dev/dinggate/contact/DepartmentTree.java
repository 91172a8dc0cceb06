package dev.dinggate.contact;

import dev.dinggate.dingtalk.DingTalkContacts;
import dev.dinggate.dingtalk.DingTalkDepartment;
import dev.dinggate.directory.DirectoryReads;
import dev.dinggate.directory.MirroredDepartment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.springframework.stereotype.Component;

/**
 * The department tree: from the directory mirror once it is complete; before that, built from {@code listsub}
 * (one level per call). Branches are listed in
 * parallel on virtual threads, but only {@code walk-concurrency} calls are in flight at once: the
 * permit covers the DingTalk call, never the wait for a branch, so deep trees cannot deadlock.
 */
@Component
class DepartmentTree {

    private final DingTalkContacts contacts;
    private final DirectoryReads mirror;
    private final Semaphore callsInFlight;

    DepartmentTree(DingTalkContacts contacts, DirectoryReads mirror, ContactProperties properties) {
        this.contacts = contacts;
        this.mirror = mirror;
        this.callsInFlight = new Semaphore(properties.walkConcurrency());
    }

    /** From the directory mirror once it holds the whole organisation, else from DingTalk. */
    List<DepartmentNode> below(long rootDepartmentId) {
        if (mirror.complete()) {
            if (!mirror.hasDepartment(rootDepartmentId)) {
                throw ContactProblems.departmentNotInDirectory(rootDepartmentId);
            }
            return treeOf(rootDepartmentId, mirror.departmentsBelow(rootDepartmentId));
        }
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            return childrenOf(rootDepartmentId, workers);
        }
    }

    private static List<DepartmentNode> treeOf(long root, List<MirroredDepartment> below) {
        Map<Long, List<MirroredDepartment>> byParent = new HashMap<>();
        for (MirroredDepartment department : below) {
            byParent.computeIfAbsent(department.parentId(), parent -> new ArrayList<>())
                    .add(department);
        }
        return nodesBelow(root, byParent);
    }

    private static List<DepartmentNode> nodesBelow(long parent, Map<Long, List<MirroredDepartment>> byParent) {
        List<DepartmentNode> nodes = new ArrayList<>();
        for (MirroredDepartment child : byParent.getOrDefault(parent, List.of())) {
            nodes.add(new DepartmentNode(child.id(), child.name(), child.parentId(), nodesBelow(child.id(), byParent)));
        }
        return nodes;
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
