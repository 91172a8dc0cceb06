/** The DingTalk client: the only package that knows DingTalk's hosts, envelopes and error codes. */
@NullMarked
package dev.dinggate.dingtalk;

import org.jspecify.annotations.NullMarked;
