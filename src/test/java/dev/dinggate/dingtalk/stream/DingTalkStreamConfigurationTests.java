package dev.dinggate.dingtalk.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dinggate.dingtalk.DingTalkProperties;
import dev.dinggate.dingtalk.stream.DingTalkEventListener.Acknowledgement;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** Everyone may ask the stream's status; it connects only when enabled and someone listens. */
class DingTalkStreamConfigurationTests {

    private final FakeStreamGateway gateway = new FakeStreamGateway("wired-app", "wired-secret-never-logged");

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(Infrastructure.class, DingTalkStreamConfiguration.class)
            .withPropertyValues(
                    "dingtalk.base-url=" + gateway.baseUrl(),
                    "dingtalk.app-key=wired-app",
                    "dingtalk.app-secret=wired-secret-never-logged");

    @AfterEach
    void stopGateway() {
        gateway.close();
    }

    @Test
    void anEnabledStreamWithAListenerConnectsToTheDingTalkBaseUrlAndClosesWithTheContext() {
        context.withPropertyValues("dingtalk.stream.enabled=true")
                .withBean(DingTalkEventListener.class, () -> event -> Acknowledgement.SUCCESS)
                .run(running -> {
                    DingTalkStream stream = running.getBean(DingTalkStream.class);
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> stream.status().connected());
                });

        assertThat(gateway.sessions()).hasSize(1);
        assertThat(gateway.sessions().getFirst().closed()).isDone();
    }

    @Test
    void aDisabledStreamIsStillThereToSaySo() {
        context.withBean(DingTalkEventListener.class, () -> event -> Acknowledgement.SUCCESS)
                .run(running -> assertThat(running.getBean(DingTalkStream.class).status())
                        .isEqualTo(StreamStatus.disabled()));

        assertThat(gateway.openRequests()).isEmpty();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({DingTalkProperties.class, DingTalkStreamProperties.class})
    static class Infrastructure {

        @Bean
        JsonMapper jsonMapper() {
            return JsonMapper.builder().build();
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
