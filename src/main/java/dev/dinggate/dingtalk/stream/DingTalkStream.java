package dev.dinggate.dingtalk.stream;

/** This replica's connection to DingTalk's event stream, as the rest of the gateway may see it. */
public interface DingTalkStream {

    StreamStatus status();
}
