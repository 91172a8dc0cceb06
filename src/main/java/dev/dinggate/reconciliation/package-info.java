/**
 * Reconciliation of changes whose outcome is UNKNOWN: where DingTalk offers a read that settles one (a
 * created user found by mobile, a deleted user answering 60121, an update whose fields read back as
 * sent), a paced check on one replica at a time records the settled outcome in the audit trail; the
 * rest stay UNKNOWN and are counted for operators.
 */
@NullMarked
package dev.dinggate.reconciliation;

import org.jspecify.annotations.NullMarked;
