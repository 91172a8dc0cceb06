package dev.dinggate.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on a loopback port, for tests that take a server away from the gateway mid-run
 * without stopping it for everyone else (the machine's PostgreSQL serves every test class).
 * {@link #refuse()} closes every connection and answers new ones by closing them at once;
 * {@link #blackhole()} keeps every connection open and accepts new ones, but forwards nothing, like a
 * network that drops packets;
 * {@link #restore()} forwards again.
 */
public final class TcpProxy implements AutoCloseable {

    /** What the proxy does with traffic. */
    public enum Mode {
        FORWARD,
        REFUSE,
        BLACKHOLE
    }

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile Mode mode = Mode.FORWARD;

    public TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        try {
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException failure) {
            throw new IllegalStateException("no loopback port for the proxy", failure);
        }
        Thread.ofVirtual().name("tcp-proxy-" + listener.getLocalPort()).start(this::acceptLoop);
    }

    public int port() {
        return listener.getLocalPort();
    }

    public String host() {
        return listener.getInetAddress().getHostAddress();
    }

    public void refuse() {
        mode = Mode.REFUSE;
        closeAll();
    }

    public void blackhole() {
        mode = Mode.BLACKHOLE;
    }

    public void restore() {
        mode = Mode.FORWARD;
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        closeAll();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                switch (mode) {
                    case REFUSE -> client.close();
                    case BLACKHOLE -> open.add(client);
                    case FORWARD -> forward(client);
                }
            } catch (IOException stopped) {
                // the listener closed, or one connection failed: the loop condition decides
            }
        }
    }

    private void forward(Socket client) throws IOException {
        Socket server;
        try {
            server = new Socket(targetHost, targetPort);
        } catch (IOException unreachable) {
            client.close();
            return;
        }
        open.add(client);
        open.add(server);
        Thread.ofVirtual().start(() -> pump(client, server));
        Thread.ofVirtual().start(() -> pump(server, client));
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (mode == Mode.REFUSE) {
                    break;
                }
                if (mode == Mode.FORWARD) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        } catch (IOException closed) {
            // one side went away; the finally below closes the other
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private void closeAll() {
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
