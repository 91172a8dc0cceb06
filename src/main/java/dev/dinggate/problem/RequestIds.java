package dev.dinggate.problem;

import org.slf4j.MDC;

/** The id of the request a thread serves, as the web layer sets it for log lines and problem details. */
public final class RequestIds {

    /** The log context key: log lines of a request carry its id under this name. */
    public static final String MDC_KEY = "requestId";

    private RequestIds() {}

    /** The id of the request the current thread serves, for code that has no request at hand. */
    public static String current() {
        String id = MDC.get(MDC_KEY);
        return id != null ? id : "none";
    }
}
