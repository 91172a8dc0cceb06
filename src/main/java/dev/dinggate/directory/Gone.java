package dev.dinggate.directory;

import dev.dinggate.dingtalk.DingTalkException;
import java.util.Set;

/**
 * Which of DingTalk's refusals of a read say that the user or department is gone, for this app: the mirror then
 * drops it, as a full sync would by not finding it. Any other failure says nothing about it.
 */
final class Gone {

    /** 60121: user not found (resigned, removed, never joined). */
    private static final Set<String> USER_CODES = Set.of("60121");

    /** 60003: department not found; 40009: not a department id DingTalk knows. */
    private static final Set<String> DEPARTMENT_CODES = Set.of("60003", "40009");

    private Gone() {}

    static boolean user(DingTalkException failed) {
        return outsideScope(failed) || refusedWith(failed, USER_CODES);
    }

    static boolean department(DingTalkException failed) {
        return outsideScope(failed) || refusedWith(failed, DEPARTMENT_CODES);
    }

    /** Taken out of the app's Contacts scope: the app no longer sees it, as a full sync would not. */
    private static boolean outsideScope(DingTalkException failed) {
        return failed instanceof DingTalkException.OutsideAppScope;
    }

    private static boolean refusedWith(DingTalkException failed, Set<String> codes) {
        return failed instanceof DingTalkException.Rejected rejected && codes.contains(rejected.upstreamCode());
    }
}
