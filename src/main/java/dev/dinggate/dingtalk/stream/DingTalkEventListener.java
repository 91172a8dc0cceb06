package dev.dinggate.dingtalk.stream;

/**
 * Receives the stream's events. Called on a thread of its own per event (never the connection's), so it may
 * block on paced DingTalk calls; the event is acknowledged with what it returns, after it returns.
 */
public interface DingTalkEventListener {

    Acknowledgement onEvent(DingTalkEvent event);

    /** What DingTalk is told about an event. */
    enum Acknowledgement {
        /** Handled: DingTalk does not send it again (it still might: de-duplicate by event id). */
        SUCCESS,
        /** Not handled now: DingTalk sends it again later. */
        LATER
    }
}
