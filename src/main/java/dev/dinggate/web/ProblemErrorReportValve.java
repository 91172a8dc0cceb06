package dev.dinggate.web;

import dev.dinggate.problem.GatewayProblem;
import java.io.IOException;
import java.io.Writer;
import java.util.UUID;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's own error page, for requests Tomcat refuses before the application sees them (a URL it
 * cannot decode, say): a problem detail like every other error, instead of an HTML page.
 */
class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        // Tomcat's 400 means it could not read the request at all (its URL or headers): malformed, as the
        // README says, where Spring MVC's 400 (a parameter it read but refused) is request.invalid.
        String code = (status == 400 ? GatewayProblem.REQUEST_MALFORMED : GatewayProblem.forStatus(status)).code();
        String requestId = UUID.randomUUID().toString();
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            response.setHeader(RequestIdFilter.HEADER, requestId);
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write("{\"type\":\"" + GatewayProblem.TYPE_PREFIX + code
                        + "\",\"title\":\"Request refused\",\"status\":"
                        + status + ",\"detail\":\"The server could not read this request (its URL or headers are "
                        + "malformed).\",\"code\":\"" + code + "\",\"requestId\":\"" + requestId + "\"}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException ignored) {
            // The connection is gone or the response already committed: nothing more can be said.
        }
    }
}
