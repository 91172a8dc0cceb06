/**
 * The gateway's problems as features name them: a stable code with its status and title
 * ({@link dev.dinggate.problem.GatewayProblem}), the exception that ends a request with one, the
 * request id every problem carries. Depends on nothing of the gateway but DingTalk's failure kinds, so
 * that features and the audit trail can name problems without depending on the web layer.
 */
@NullMarked
package dev.dinggate.problem;

import org.jspecify.annotations.NullMarked;
