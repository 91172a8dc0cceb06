/**
 * The one catalogue of the gateway's problems ({@link dev.dinggate.problem.GatewayProblem}: code, status, title,
 * hint, what a change that ended so did), the exception that ends a request with one and carries that outcome
 * to the audit trail, what each kind of DingTalk failure means where no feature knows better
 * ({@link dev.dinggate.problem.UpstreamFailures}), the request id every problem carries. Depends on nothing of the
 * gateway but DingTalk's failure kinds, so that features and the audit trail can name problems without the web
 * layer.
 */
@NullMarked
package dev.dinggate.problem;

import org.jspecify.annotations.NullMarked;
