package dev.dinggate.dingtalk.stream;

import dev.dinggate.dingtalk.DingTalkProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stream, always present so that anyone may ask its status; it connects only when
 * {@code dingtalk.stream.enabled} and a {@link DingTalkEventListener} bean exists.
 */
@Configuration(proxyBeanMethods = false)
class DingTalkStreamConfiguration {

    @Bean
    DingTalkStreamClient dingTalkStream(
            DingTalkStreamProperties properties,
            DingTalkProperties dingTalk,
            ObjectProvider<DingTalkEventListener> listener,
            JsonMapper json,
            ObjectProvider<Clock> clock,
            MeterRegistry meters) {
        // The listener is looked up at start, so that it may depend on DingTalkStream itself (for its status).
        return new DingTalkStreamClient(
                properties, dingTalk, listener::getIfAvailable, json, clock.getIfAvailable(Clock::systemUTC), meters);
    }
}
