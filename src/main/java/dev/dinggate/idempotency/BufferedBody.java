package dev.dinggate.idempotency;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The request with its body read ahead (the fingerprint needs it before the handler runs), so that the
 * handler reads the same bytes again. A body that could not be read (too large, connection lost) fails
 * the handler's read with the same exception, and so gets the same answer as without a key.
 */
final class BufferedBody extends HttpServletRequestWrapper {

    private final byte[] body;
    private final @Nullable IOException failure;

    private BufferedBody(HttpServletRequest request, byte[] body, @Nullable IOException failure) {
        super(request);
        this.body = body;
        this.failure = failure;
    }

    static BufferedBody read(HttpServletRequest request) {
        try {
            return new BufferedBody(request, request.getInputStream().readAllBytes(), null);
        } catch (IOException unreadable) {
            return new BufferedBody(request, new byte[0], unreadable);
        }
    }

    /** The body's bytes; only meaningful when {@link #isComplete()}. */
    byte[] bytes() {
        return body;
    }

    boolean isComplete() {
        return failure == null;
    }

    @Override
    public ServletInputStream getInputStream() {
        ByteArrayInputStream bytes = new ByteArrayInputStream(body);
        return new ServletInputStream() {

            @Override
            public int read() throws IOException {
                failIfUnread();
                return bytes.read();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                failIfUnread();
                return bytes.read(buffer, offset, length);
            }

            @Override
            public boolean isFinished() {
                return bytes.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException("the body is already read");
            }
        };
    }

    @Override
    public BufferedReader getReader() {
        String encoding = getCharacterEncoding();
        Charset charset = encoding != null ? Charset.forName(encoding) : StandardCharsets.UTF_8;
        return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }

    private void failIfUnread() throws IOException {
        if (failure != null) {
            throw failure;
        }
    }
}
