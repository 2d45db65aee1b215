package io.tlsaccel.tls.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.nativelib.NativeLoader;
import io.tlsaccel.testutil.EnginePair;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Engines give back every native key context they made: closed properly, and, when simply
 * dropped, once the collector has found them. This is the count the load and soak runs watch.
 */
class NativeContextLifetimeTest {

    @Test
    void closedEnginesHoldNoNativeContexts() throws Exception {
        Assumptions.assumeTrue(NativeLoader.liveContexts() >= 0, "native library not loaded");
        long before = NativeLoader.liveContexts();
        for (int i = 0; i < 5; i++) {
            EnginePair p = EngineBehaviourTest.established(true, true);
            p.send(p.client, "ping".getBytes(StandardCharsets.US_ASCII));
            assertTrue(NativeLoader.liveContexts() > before, "an established pair holds keys");
            p.closeBoth();
        }
        assertEquals(before, NativeLoader.liveContexts(), "every context freed at close");
    }

    @Test
    void droppedEnginesAreCleanedUp() throws Exception {
        Assumptions.assumeTrue(NativeLoader.liveContexts() >= 0, "native library not loaded");
        long before = NativeLoader.liveContexts();
        for (int i = 0; i < 5; i++) {
            EngineBehaviourTest.established(true, true); // never closed
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (NativeLoader.liveContexts() > before && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertEquals(before, NativeLoader.liveContexts(), "the Cleaner freed what was dropped");
    }
}
