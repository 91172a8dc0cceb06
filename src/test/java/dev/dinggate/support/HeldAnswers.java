package dev.dinggate.support;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A WireMock answer that is held back until the test releases it, for tests that must look at the
 * gateway while DingTalk "thinks": no fixed delay to bet on, however slow the machine. Stubs opt in
 * through {@link #held(MappingBuilder)}; nothing is held before {@link #hold()}.
 * The request is in WireMock's journal before it is held, so tests count it at once.
 */
public final class HeldAnswers implements ServeEventListener {

    public static final String NAME = "held-answers";

    /** Longer than any test waits: a forgotten release only slows a failing test down. */
    private static final long LONGEST_HOLD_SECONDS = 60;

    private volatile CountDownLatch gate = new CountDownLatch(0);

    /** The stub's answers wait while answers are held. */
    public static MappingBuilder held(MappingBuilder stub) {
        return stub.withServeEventListener(NAME, Parameters.empty());
    }

    /** From now on, answers of opted-in stubs wait for {@link #release()}. */
    public void hold() {
        gate = new CountDownLatch(1);
    }

    /** Lets every held answer go, and the ones after it. */
    public void release() {
        gate.countDown();
    }

    @Override
    public void beforeResponseSent(ServeEvent serveEvent, Parameters parameters) {
        try {
            gate.await(LONGEST_HOLD_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }
}
