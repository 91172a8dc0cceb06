package dev.dinggate.sandbox;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/** One open WebSocket of the simulated stream: the frames waiting to be written to it. */
final class StreamConnection {

    private final String id;
    private final boolean receivesEvents;
    private final Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();

    StreamConnection(String id, boolean receivesEvents) {
        this.id = id;
        this.receivesEvents = receivesEvents;
    }

    String id() {
        return id;
    }

    boolean receivesEvents() {
        return receivesEvents;
    }

    Flux<String> frames() {
        return outbound.asFlux();
    }

    /** Queues a frame; on a connection already closed it is dropped, and an event in it is sent again elsewhere. */
    synchronized void send(String frame) {
        // Synchronized: a sink takes one emitter at a time, and events, pings and the shutdown come from several.
        outbound.tryEmitNext(frame);
    }

    /** Ends the connection once the frames already queued are written. */
    synchronized void close() {
        outbound.tryEmitComplete();
    }
}
