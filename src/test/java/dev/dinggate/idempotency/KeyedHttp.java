package dev.dinggate.idempotency;

import dev.dinggate.support.GatewayHttp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Requests with {@code Idempotency-Key} fields (none, one or several), as a retrying client sends them. */
final class KeyedHttp {

    private final HttpClient client = HttpClient.newHttpClient();
    private final int port;
    private final String baseUrl;

    KeyedHttp(int port) {
        this.port = port;
        this.baseUrl = "http://localhost:" + port;
    }

    /**
     * @param authorization the whole Authorization value ({@code Bearer ...} or {@code Basic ...})
     * @param json the body, or null for none
     */
    GatewayHttp.Answer send(String method, String path, String authorization, String json, String... keys) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .header("Authorization", authorization);
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        for (String key : keys) {
            request.header("Idempotency-Key", key);
        }
        try {
            return new GatewayHttp.Answer(client.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException | InterruptedException failure) {
            throw new IllegalStateException(failure);
        }
    }

    /**
     * A PUT whose key goes out as the given bytes. Java's HttpClient sends a character it cannot encode
     * as '?', a valid key: a client that sends UTF-8 is only seen through a socket.
     *
     * @return the status line and everything after it
     */
    String putWithRawKey(String path, String authorization, String json, byte[] key) {
        try (Socket socket = new Socket("localhost", port)) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: "
                            + authorization + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                            + "\r\nIdempotency-Key: ")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(key);
            out.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException failure) {
            throw new IllegalStateException(failure);
        }
    }
}
