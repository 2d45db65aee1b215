package io.tlsaccel.tls.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.nativelib.NativeLoader;
import io.tlsaccel.testutil.EnginePair;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Engines give back every native key context they made: closed properly, and, when simply
 * dropped, once the collector has found them. This is the count the load and soak runs watch.
 *
 * <p>The count is JVM-wide and other test classes leave dropped engines behind, which the
 * Cleaner frees whenever a collection happens to run. So each test first lets that garbage go
 * (the baseline is what survives collection) and then checks that it never ends above it.
 */
class NativeContextLifetimeTest {

    private static final long SETTLE_NANOS = 10_000_000_000L;

    /** Collects until the count stops falling; what is left is held by live objects. */
    private static long settledCount() throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        long last = Long.MAX_VALUE;
        int steady = 0;
        while (steady < 3 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
            long now = NativeLoader.liveContexts();
            steady = now >= last ? steady + 1 : 0;
            last = Math.min(last, now);
        }
        return NativeLoader.liveContexts();
    }

    /** Collects until the count is back to {@code baseline} (or the time is up). */
    private static long countAfterCollecting(long baseline) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        while (NativeLoader.liveContexts() > baseline && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        return NativeLoader.liveContexts();
    }

    @Test
    void closedEnginesHoldNoNativeContexts() throws Exception {
        Assumptions.assumeTrue(NativeLoader.liveContexts() >= 0, "native library not loaded");
        long before = settledCount();
        for (int i = 0; i < 5; i++) {
            EnginePair p = EngineBehaviourTest.established(true, true);
            p.send(p.client, "ping".getBytes(StandardCharsets.US_ASCII));
            assertTrue(NativeLoader.liveContexts() > before, "an established pair holds keys");
            p.closeBoth();
        }
        // Closing frees at once: no collection needed (the count may only have fallen further,
        // if a collection freed someone else's garbage meanwhile).
        long after = NativeLoader.liveContexts();
        assertTrue(after <= before, "every context freed at close: " + after + " > " + before);
    }

    @Test
    void droppedEnginesAreCleanedUp() throws Exception {
        Assumptions.assumeTrue(NativeLoader.liveContexts() >= 0, "native library not loaded");
        long before = settledCount();
        for (int i = 0; i < 5; i++) {
            EngineBehaviourTest.established(true, true); // never closed
        }
        assertTrue(NativeLoader.liveContexts() > before, "the dropped pairs held keys");
        long after = countAfterCollecting(before);
        assertTrue(after <= before, "the Cleaner freed what was dropped: " + after + " > " + before);
    }
}
