/** The audit trail: every change recorded before it is sent to DingTalk, completed with its outcome, queryable. */
@NullMarked
package dev.dinggate.audit;

import org.jspecify.annotations.NullMarked;
