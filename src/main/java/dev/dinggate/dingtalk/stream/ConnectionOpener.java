package dev.dinggate.dingtalk.stream;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Asks DingTalk for a WebSocket endpoint and a one-use ticket: the only request that carries the app secret. */
final class ConnectionOpener {

    static final String PATH = "/v1.0/gateway/connections/open";

    private final HttpClient http;
    private final URI openUri;
    private final String appKey;
    private final String appSecret;
    private final Duration timeout;
    private final JsonMapper json;
    private final String userAgent;
    private final @Nullable String localIp;

    ConnectionOpener(
            HttpClient http,
            URI baseUrl,
            Credentials credentials,
            Duration timeout,
            JsonMapper json,
            String userAgent,
            @Nullable String localIp) {
        this.http = http;
        // Appended, not resolved: a base URL may carry a path of its own (the sandbox's does).
        this.openUri = URI.create(baseUrl.toString().replaceAll("/+$", "") + PATH);
        this.appKey = credentials.appKey();
        this.appSecret = credentials.appSecret();
        this.timeout = timeout;
        this.json = json;
        this.userAgent = userAgent;
        this.localIp = localIp;
    }

    /** The app's key and secret; never printed. */
    record Credentials(String appKey, String appSecret) {
        @Override
        public String toString() {
            return "Credentials[appKey=" + appKey + ", appSecret=***]";
        }
    }

    /**
     * Where to connect, and the ticket that lets this replica in once, within about 90 s.
     *
     * @param endpoint the WebSocket endpoint, without the ticket (safe to log)
     */
    record Ticket(URI endpoint, String ticket) {

        URI connectUri() {
            String separator = endpoint.getRawQuery() == null ? "?" : "&";
            return URI.create(endpoint + separator + "ticket=" + URLEncoder.encode(ticket, StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "Ticket[endpoint=" + endpoint + ", ticket=***]";
        }
    }

    /** DingTalk answered the open request with something other than a ticket. */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    Ticket open() throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode();
        body.put("clientId", appKey);
        body.put("clientSecret", appSecret);
        body.putArray("subscriptions").addObject().put("type", "EVENT").put("topic", "*");
        body.put("ua", userAgent);
        if (localIp != null) {
            body.put("localIp", localIp);
        }
        HttpRequest request = HttpRequest.newBuilder(openUri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode answer = parse(response.body());
        if (response.statusCode() != 200) {
            // DingTalk's error code names the cause (e.g. a wrong secret); its message is not repeated, in
            // case it quotes the request.
            String code = answer.path("code").stringValue("none");
            throw new Refused("HTTP " + response.statusCode() + ", DingTalk code " + code);
        }
        String endpoint = answer.path("endpoint").stringValue("");
        String ticket = answer.path("ticket").stringValue("");
        if (endpoint.isBlank() || ticket.isBlank()) {
            throw new Refused("HTTP 200 without an endpoint and a ticket");
        }
        return new Ticket(webSocketUri(endpoint), ticket);
    }

    private static URI webSocketUri(String endpoint) throws Refused {
        try {
            URI uri = new URI(endpoint);
            if ("wss".equalsIgnoreCase(uri.getScheme()) || "ws".equalsIgnoreCase(uri.getScheme())) {
                return uri;
            }
        } catch (URISyntaxException malformed) {
            // Refused below, like any other endpoint that is not a WebSocket URL.
        }
        throw new Refused("HTTP 200 with an endpoint that is not a WebSocket URL");
    }

    private JsonNode parse(String body) {
        try {
            JsonNode tree = json.readTree(body);
            return tree == null ? json.createObjectNode() : tree;
        } catch (JacksonException notJson) {
            return json.createObjectNode();
        }
    }
}
