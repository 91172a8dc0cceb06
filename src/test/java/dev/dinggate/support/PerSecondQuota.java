package dev.dinggate.support;

import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * DingTalk's per-app, per-API limit as a WireMock extension: every API path may be called {@code quota}
 * times in each wall-clock second; a call beyond that is answered as DingTalk does, errcode 90018 (old
 * style) or 403 {@code QpsLimitForAppkeyAndApi} (new style), and counted.
 */
public final class PerSecondQuota implements ResponseTransformerV2 {

    private final int quota;
    private final Map<String, Map<Long, AtomicInteger>> callsBySecond = new ConcurrentHashMap<>();
    private final AtomicInteger overQuota = new AtomicInteger();

    public PerSecondQuota(int quota) {
        this.quota = quota;
    }

    @Override
    public Response transform(Response response, ServeEvent serveEvent) {
        String path = serveEvent.getRequest().getUrl().split("\\?", 2)[0];
        if (!path.startsWith("/topapi/") && !path.startsWith("/v1.0/contact/")) {
            return response;
        }
        long second = serveEvent.getRequest().getLoggedDate().getTime() / 1000;
        int calls = callsBySecond
                .computeIfAbsent(path, unused -> new ConcurrentHashMap<>())
                .computeIfAbsent(second, unused -> new AtomicInteger())
                .incrementAndGet();
        if (calls <= quota) {
            return response;
        }
        overQuota.incrementAndGet();
        return path.startsWith("/topapi/")
                ? Response.response()
                        .status(200)
                        .body("{\"errcode\":90018,\"errmsg\":\"qps limit\"}")
                        .build()
                : Response.response()
                        .status(403)
                        .body("{\"code\":\"Forbidden.AccessDenied.QpsLimitForAppkeyAndApi\",\"message\":\"qps limit\"}")
                        .build();
    }

    /** Calls answered as over the quota, since the last {@link #reset()}. */
    public int overQuota() {
        return overQuota.get();
    }

    /** Calls of {@code path} served within the quota in the seconds {@code fromSecond} to {@code toSecond}, inclusive. */
    public int servedBetween(String path, long fromSecond, long toSecond) {
        return callsBySecond.getOrDefault(path, Map.of()).entrySet().stream()
                .filter(entry -> entry.getKey() >= fromSecond && entry.getKey() <= toSecond)
                .mapToInt(entry -> Math.min(quota, entry.getValue().get()))
                .sum();
    }

    /** Calls of each path in each second, for a failure's description. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        callsBySecond.forEach((path, seconds) -> {
            text.append(path).append(':');
            new java.util.TreeMap<>(seconds)
                    .forEach((second, calls) ->
                            text.append(' ').append(second % 100).append('=').append(calls.get()));
            text.append('\n');
        });
        return text.toString();
    }

    public void reset() {
        callsBySecond.clear();
        overQuota.set(0);
    }

    @Override
    public String getName() {
        return "per-second-quota";
    }

    @Override
    public boolean applyGlobally() {
        return true;
    }
}
