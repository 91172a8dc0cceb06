package dev.dinggate.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** Tickets for the stream's WebSocket: each opens one connection, within its lifetime. */
final class StreamTickets {

    /**
     * What a ticket was issued for.
     *
     * @param events whether the connection subscribed to EVENT frames (otherwise it gets SYSTEM frames only)
     */
    record Ticket(boolean events, Instant expiresAt) {}

    private final Map<String, Ticket> issued = new ConcurrentHashMap<>();
    private final Duration lifetime;
    private final Clock clock;

    StreamTickets(Duration lifetime, Clock clock) {
        this.lifetime = lifetime;
        this.clock = clock;
    }

    String issue(boolean events) {
        Instant now = clock.instant();
        // Tickets never used would otherwise pile up for as long as the sandbox runs.
        issued.values().removeIf(ticket -> !ticket.expiresAt().isAfter(now));
        String ticket = UUID.randomUUID().toString();
        issued.put(ticket, new Ticket(events, now.plus(lifetime)));
        return ticket;
    }

    /** The ticket, used up by this call; null when it was never issued, is used or has expired. */
    @Nullable
    Ticket redeem(String ticket) {
        Ticket redeemed = issued.remove(ticket);
        return redeemed == null || !redeemed.expiresAt().isAfter(clock.instant()) ? null : redeemed;
    }
}
