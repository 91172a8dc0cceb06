package dev.dinggate.web;

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
        String code = switch (status) {
            case 400 -> "request.malformed";
            case 404 -> "request.not-found";
            case 413 -> "request.too-large";
            default -> status >= 500 ? "internal.error" : "request.rejected";
        };
        String requestId = UUID.randomUUID().toString();
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            response.setHeader(RequestIdFilter.HEADER, requestId);
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write("{\"type\":\"" + Problems.TYPE_PREFIX + code
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
