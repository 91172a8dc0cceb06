package dev.dinggate.idempotency;

import dev.dinggate.security.Caller;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * SHA-256 digests that stand for a key and for a request in the store: neither the key nor the body
 * is kept as sent, and a row says nothing about whose it is to anyone without the key.
 */
final class Fingerprints {

    private static final byte[] SEPARATOR = {0};

    private Fingerprints() {}

    /**
     * The row id of {@code key} sent by {@code caller}: keys belong to the principal and the client it
     * calls through (the JWT's {@code azp}, else {@code client_id}: the audit's actor and clientId), so
     * two callers never meet on one key.
     */
    static String keyId(Authentication caller, IdempotencyKey key) {
        String client = caller instanceof JwtAuthenticationToken token ? Caller.clientIdOf(token.getToken()) : null;
        return sha256(text(caller.getName()), text(client == null ? "" : client), text(key.value()));
    }

    /** What makes two requests the same one: method, target (path and query) and the body's exact bytes. */
    static String request(String method, String target, byte[] body) {
        return sha256(text(method), text(target), body);
    }

    private static byte[] text(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** The parts with a NUL between them: no method, target, name or key holds one, and the body comes last. */
    private static String sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    digest.update(SEPARATOR);
                }
                digest.update(parts[i]);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java runtime has SHA-256", impossible);
        }
    }
}
