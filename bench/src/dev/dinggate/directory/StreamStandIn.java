package dev.dinggate.directory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DingTalk's side of the event stream (Stream mode) for bench/directory-sync.sh, with the JDK alone (run as
 * {@code java StreamStandIn.java}): the open-connection call, a minimal RFC 6455 WebSocket server on a plain
 * {@link ServerSocket} (the JDK's HttpServer cannot upgrade), and {@code topapi/v2/user/get} for the org of
 * bench/nginx/directory-org.js, answering the names its events changed (nginx paces it at 20 QPS in front).
 *
 * <p>{@code POST /bench/events?count=N&rate=R} pushes N contact events at R a second to the open connection:
 * each first changes the user's name here, then is sent; the gateway re-reads the user (a paced user/get),
 * writes the mirror and only then acknowledges (DirectoryEvents, FrameDispatcher). The lag of an event is the
 * time from writing its frame to reading its acknowledgement, both on this process's clock. At the end it
 * writes the summary to {@code results}, one line per event to {@code results.events} and each changed user's
 * final name to {@code results.names}, so that the script can check the mirror holds them.
 *
 * <p>Usage: {@code java StreamStandIn.java <http port> <websocket port> <results file>}
 */
public final class StreamStandIn {

    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final Pattern USER_ID = Pattern.compile("\"userid\"\\s*:\\s*\"user(\\d+)\"");
    private static final Pattern MESSAGE_ID = Pattern.compile("\"messageId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STATUS = Pattern.compile("status\\\\?\"\\s*:\\s*\\\\?\"([A-Z]+)");
    private static final String[] SURNAMES = {"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao",
        "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo"};
    private static final String[] GIVEN = {"Wei", "Fang", "Na", "Min", "Jing", "Li", "Qiang", "Lei", "Jun", "Yang",
        "Yong", "Yan", "Jie", "Tao", "Ming", "Chao", "Xiu", "Xia", "Ping", "Gang", "Hui", "Hong", "Bo", "Lin", "Hua",
        "Dan", "Rui", "Kai", "Ning", "Hao", "Yu", "Xin", "Lan", "Ying", "Bin", "Peng", "Zhen", "Long", "Feng", "Yun"};
    private static final String[] TITLES = {"Engineer", "Accountant", "Sales manager", "Designer", "Analyst",
        "Recruiter", "Support lead", "Product owner"};
    private static final int USERS = 10_000;

    private final int webSocketPort;
    private final Path results;
    private final Set<String> tickets = ConcurrentHashMap.newKeySet();
    /** Names changed by events; users above USERS were added by one. */
    private final Map<Integer, String> names = new ConcurrentHashMap<>();
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final Map<String, Long> acknowledgedAt = new ConcurrentHashMap<>();
    private final Map<String, String> acknowledgements = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger userReads = new AtomicInteger();
    private final AtomicLong pings = new AtomicLong();
    private volatile Connection current;

    private StreamStandIn(int webSocketPort, Path results) {
        this.webSocketPort = webSocketPort;
        this.results = results;
    }

    public static void main(String[] args) throws Exception {
        StreamStandIn standIn = new StreamStandIn(Integer.parseInt(args[1]), Path.of(args[2]));
        standIn.serveHttp(Integer.parseInt(args[0]));
        standIn.serveWebSockets();
    }

    // ---- HTTP: the open-connection call, user/get, and the bench's own control ----

    private void serveHttp(int port) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/v1.0/gateway/connections/open", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String ticket = UUID.randomUUID().toString();
            tickets.add(ticket);
            answer(exchange, 200, "{\"endpoint\":\"ws://127.0.0.1:" + webSocketPort + "/connect\",\"ticket\":\""
                    + ticket + "\"}");
        });
        http.createContext("/topapi/v2/user/get", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            userReads.incrementAndGet();
            Matcher id = USER_ID.matcher(body);
            int n = id.find() ? Integer.parseInt(id.group(1)) : 0;
            if (n < 1 || (n > USERS && !names.containsKey(n))) {
                answer(exchange, 200, "{\"errcode\":60121,\"errmsg\":\"找不到该用户\",\"request_id\":\"bench\"}");
            } else {
                answer(exchange, 200, "{\"errcode\":0,\"errmsg\":\"ok\",\"request_id\":\"bench\",\"result\":"
                        + user(n) + "}");
            }
        });
        http.createContext("/bench/events", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            int count = Integer.parseInt(parameter(query, "count", "300"));
            double rate = Double.parseDouble(parameter(query, "rate", "5"));
            Connection connection = current;
            if (connection == null) {
                answer(exchange, 409, "{\"error\":\"no stream connection open\"}");
                return;
            }
            Thread.ofVirtual().start(() -> pushEvents(count, rate));
            answer(exchange, 202, "{\"events\":" + count + ",\"rate\":" + rate + "}");
        });
        http.createContext("/bench/status", exchange ->
                answer(exchange, 200, "{\"connections\":" + connections.get() + ",\"connected\":" + (current != null)
                        + ",\"userReads\":" + userReads.get() + "}"));
        http.start();
    }

    private static String parameter(String query, String name, String otherwise) {
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith(name + "=")) {
                    return pair.substring(name.length() + 1);
                }
            }
        }
        return otherwise;
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** User n as directory-org.js describes them, with the name an event gave them, if any. */
    private String user(int n) {
        int primary = n > USERS ? 2 : n <= 5_000 ? 2 + (n - 1) / 250 : 22 + (n - 5_001) % 480;
        int second = n % 4 == 0 && n <= USERS ? 22 + (n / 4) % 480 : 0;
        String departments = second != 0 && second != primary ? primary + "," + second : String.valueOf(primary);
        String name = names.getOrDefault(n, SURNAMES[n % 16] + " " + GIVEN[(n / 16) % 40]);
        return "{\"userid\":\"user" + n + "\",\"unionid\":\"union" + n + "\",\"name\":\"" + name + "\",\"title\":\""
                + TITLES[n % 8] + "\",\"job_number\":\"E" + String.valueOf(100_000 + n).substring(1)
                + "\",\"dept_id_list\":[" + departments + "],\"leader_in_dept\":[{\"dept_id\":" + primary
                + ",\"leader\":false}],\"role_list\":[],\"exclusive_account\":false,\"active\":true}";
    }

    // ---- the events and their acknowledgements ----

    private void pushEvents(int count, double rate) {
        long start = System.nanoTime();
        long spacing = (long) (1e9 / rate);
        List<String[]> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long due = start + i * spacing;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                sleepNanos(wait);
            }
            // Every tenth event adds a user; the others rename one of the org's users (each at most once).
            boolean added = i % 10 == 9;
            int n = added ? USERS + 1 + i / 10 : 1 + (int) ((i * 7_919L) % USERS);
            String type = added ? "user_add_org" : "user_modify_org";
            String name = (added ? "Newcomer " : "Renamed ") + i;
            names.put(n, name);
            String messageId = "event-message-" + i;
            String eventId = "bench-event-" + i;
            String data = "{\\\"eventId\\\":\\\"" + eventId + "\\\",\\\"userId\\\":[\\\"user" + n
                    + "\\\"],\\\"corpId\\\":\\\"dingbench\\\",\\\"timeStamp\\\":\\\"" + System.currentTimeMillis()
                    + "\\\"}";
            String frame = "{\"specVersion\":\"1.0\",\"type\":\"EVENT\",\"headers\":{\"topic\":\"*\",\"messageId\":\""
                    + messageId + "\",\"eventId\":\"" + eventId + "\",\"eventType\":\"" + type
                    + "\",\"eventCorpId\":\"dingbench\",\"eventBornTime\":\"" + System.currentTimeMillis()
                    + "\",\"contentType\":\"application/json\",\"time\":\"" + System.currentTimeMillis()
                    + "\"},\"data\":\"" + data + "\"}";
            sentAt.put(messageId, System.nanoTime());
            try {
                current.sendText(frame);
            } catch (IOException | RuntimeException lost) {
                System.err.println("event " + i + " not sent: " + lost);
            }
            sent.add(new String[] {messageId, "user" + n, name, type});
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (acknowledgedAt.size() < count && System.nanoTime() < deadline) {
            sleepNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        report(sent, (System.nanoTime() - start) / 1e9);
    }

    private void report(List<String[]> sent, double seconds) {
        List<Double> lags = new ArrayList<>();
        StringBuilder events = new StringBuilder();
        StringBuilder finalNames = new StringBuilder();
        int success = 0;
        for (String[] event : sent) {
            Long sentNanos = sentAt.get(event[0]);
            Long ackNanos = acknowledgedAt.get(event[0]);
            String status = acknowledgements.getOrDefault(event[0], "NONE");
            double lag = ackNanos == null ? -1 : (ackNanos - sentNanos) / 1e6;
            if ("SUCCESS".equals(status)) {
                success++;
                lags.add(lag);
            }
            events.append(String.format("%s %s %s %s %.3f%n", event[0], event[3], event[1], status, lag));
            finalNames.append(event[1]).append('\t').append(event[2]).append('\n');
        }
        double[] sorted = lags.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        String summary = String.format(
                "events=%d seconds=%.1f acknowledged_success=%d other=%d lag_p50_ms=%.1f lag_p90_ms=%.1f "
                        + "lag_p99_ms=%.1f lag_max_ms=%.1f connections=%d user_get_calls=%d pings=%d%n",
                sent.size(), seconds, success, sent.size() - success, percentile(sorted, 50), percentile(sorted, 90),
                percentile(sorted, 99), sorted.length == 0 ? -1 : sorted[sorted.length - 1], connections.get(),
                userReads.get(), pings.get());
        try {
            Files.writeString(Path.of(results + ".events"), events);
            Files.writeString(Path.of(results + ".names"), finalNames);
            Files.writeString(results, summary);
        } catch (IOException failed) {
            failed.printStackTrace();
        }
    }

    /** Nearest rank. */
    private static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private void replied(String text) {
        long now = System.nanoTime();
        Matcher id = MESSAGE_ID.matcher(text);
        if (!id.find() || !sentAt.containsKey(id.group(1))) {
            return; // the answer to a SYSTEM ping
        }
        Matcher status = STATUS.matcher(text);
        acknowledgements.putIfAbsent(id.group(1), status.find() ? status.group(1) : "UNREADABLE");
        acknowledgedAt.putIfAbsent(id.group(1), now);
    }

    private static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- WebSocket (RFC 6455), server side: unmasked frames out, masked frames in ----

    private void serveWebSockets() throws IOException {
        Thread.ofPlatform().daemon().start(() -> {
            for (long i = 0; ; i++) {
                sleepNanos(TimeUnit.SECONDS.toNanos(5));
                Connection connection = current;
                if (connection != null) {
                    try {
                        connection.sendText("{\"specVersion\":\"1.0\",\"type\":\"SYSTEM\",\"headers\":{\"topic\":"
                                + "\"ping\",\"messageId\":\"ping-" + i + "\",\"contentType\":\"application/json\","
                                + "\"time\":\"" + System.currentTimeMillis() + "\"},\"data\":\"{\\\"opaque\\\":\\\""
                                + i + "\\\"}\"}");
                        pings.incrementAndGet();
                    } catch (IOException | RuntimeException gone) {
                        // The reader notices the closed socket.
                    }
                }
            }
        });
        try (ServerSocket server = new ServerSocket(webSocketPort, 16, InetAddress.getLoopbackAddress())) {
            while (true) {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> serve(socket));
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            String requestLine = line(in);
            String key = null;
            for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Sec-WebSocket-Key")) {
                    key = line.substring(colon + 1).trim();
                }
            }
            String ticket = requestLine == null ? null : parameter(
                    requestLine.split(" ")[1].replaceFirst("^[^?]*\\??", ""), "ticket", null);
            OutputStream out = socket.getOutputStream();
            if (key == null || ticket == null || !tickets.remove(java.net.URLDecoder.decode(ticket,
                    StandardCharsets.UTF_8))) {
                out.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.ISO_8859_1)));
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Connection connection = new Connection(out);
            connections.incrementAndGet();
            current = connection;
            read(in, connection);
        } catch (Exception ended) {
            // The connection is gone; the gateway opens another.
        }
    }

    /** One line of the handshake, read a byte at a time so that nothing after it is consumed. */
    private static String line(DataInputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private void read(DataInputStream in, Connection connection) throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (true) {
            int first = in.readUnsignedByte();
            int second = in.readUnsignedByte();
            boolean fin = (first & 0x80) != 0;
            int opcode = first & 0x0F;
            long length = second & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] mask = new byte[4];
            if ((second & 0x80) != 0) {
                in.readFully(mask);
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
            switch (opcode) {
                case 0x0, 0x1 -> {
                    message.write(payload);
                    if (fin) {
                        replied(message.toString(StandardCharsets.UTF_8));
                        message.reset();
                    }
                }
                case 0x8 -> {
                    connection.send(0x8, Arrays.copyOf(payload, Math.min(payload.length, 2)));
                    if (current == connection) {
                        current = null;
                    }
                    return;
                }
                case 0x9 -> connection.send(0xA, payload);
                default -> {
                    // Pongs and binary frames: nothing to do.
                }
            }
        }
    }

    /** The writing side of one WebSocket. */
    private static final class Connection {
        private final OutputStream out;

        Connection(OutputStream out) {
            this.out = out;
        }

        void sendText(String text) throws IOException {
            send(0x1, text.getBytes(StandardCharsets.UTF_8));
        }

        synchronized void send(int opcode, byte[] payload) throws IOException {
            ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 10);
            frame.write(0x80 | opcode);
            if (payload.length < 126) {
                frame.write(payload.length);
            } else if (payload.length < 65_536) {
                frame.write(126);
                frame.write(payload.length >>> 8);
                frame.write(payload.length & 0xFF);
            } else {
                frame.write(127);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    frame.write((int) ((long) payload.length >>> shift) & 0xFF);
                }
            }
            frame.write(payload);
            out.write(frame.toByteArray());
            out.flush();
        }
    }
}
