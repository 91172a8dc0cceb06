/**
 * DingTalk's event stream (Stream mode): an outbound WebSocket that each replica opens to DingTalk, so an
 * internal gateway needs no public callback URL. The protocol (opening a connection, frames, pings,
 * acknowledgements, reconnects) stays inside this package; features receive {@link
 * dev.dinggate.dingtalk.stream.DingTalkEvent}s through a {@link dev.dinggate.dingtalk.stream.DingTalkEventListener}.
 */
@NullMarked
package dev.dinggate.dingtalk.stream;

import org.jspecify.annotations.NullMarked;
