/** How the DingTalk client talks to DingTalk: token cache, pacing, retries, envelopes. Not for use outside {@code dingtalk}. */
@NullMarked
package dev.dinggate.dingtalk.internal;

import org.jspecify.annotations.NullMarked;
