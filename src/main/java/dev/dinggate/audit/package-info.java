/**
 * The audit trail: every change recorded before it is sent to DingTalk, completed with its outcome, queryable;
 * an UNKNOWN outcome settled later from DingTalk's read, with the facts that takes kept beside the row until then.
 */
@NullMarked
package dev.dinggate.audit;

import org.jspecify.annotations.NullMarked;
