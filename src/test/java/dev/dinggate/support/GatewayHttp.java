package dev.dinggate.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for end-to-end tests: real requests to the gateway's port. */
public final class GatewayHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newHttpClient();
    private final String baseUrl;

    public GatewayHttp(int port) {
        this.baseUrl = "http://localhost:" + port;
    }

    public Answer send(String method, String path, String bearer, String contentType, String body) {
        return send(method, path, bearer, contentType, body, null);
    }

    /** A request carrying its own {@code X-Request-Id}, for a test that follows it to DingTalk. */
    public Answer send(String method, String path, String bearer, String contentType, String body, String requestId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response);
        } catch (IOException | InterruptedException failure) {
            throw new IllegalStateException(failure);
        }
    }

    /** A GET-style request asking for one media type. */
    public Answer sendAccepting(String method, String path, String bearer, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("Accept", accept);
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            return new Answer(client.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException | InterruptedException failure) {
            throw new IllegalStateException(failure);
        }
    }

    /** A call as a browser on another origin makes it. */
    public Answer sendWithOrigin(String method, String path, String bearer, String origin) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Authorization", "Bearer " + bearer)
                .build();
        try {
            return new Answer(client.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException | InterruptedException failure) {
            throw new IllegalStateException(failure);
        }
    }

    /** A CORS preflight, as a browser sends it before a cross-origin call. */
    public Answer preflight(String path, String origin, String method) {
        return preflight(path, origin, method, "authorization");
    }

    /** A browser's CORS preflight for a call that will send {@code requestHeaders} (comma-separated). */
    public Answer preflight(String path, String origin, String method, String requestHeaders) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", requestHeaders)
                .build();
        try {
            return new Answer(client.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException | InterruptedException failure) {
            throw new IllegalStateException(failure);
        }
    }

    public Answer putJson(String path, String bearer, String body) {
        return send("PUT", path, bearer, "application/json", body);
    }

    public Answer get(String path) {
        return send("GET", path, null, null, null);
    }

    /** A response with its body read as JSON when it is JSON. */
    public record Answer(HttpResponse<String> response) {

        public int status() {
            return response.statusCode();
        }

        public String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }

        public JsonNode json() {
            return JSON.readTree(response.body());
        }

        /** A field of the JSON body as text, or null. */
        public String field(String name) {
            JsonNode value = json().get(name);
            return value == null || value.isNull() ? null : value.asString();
        }
    }
}
