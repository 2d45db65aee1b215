package io.tlsaccel.interop;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A missing peer tool skips the interop tests, except on CI (CI=true), where it fails them. */
class PeersTest {
    @Test
    void missingToolSkipsOrFailsOnCi() {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        Class<? extends Throwable> expected = ci ? AssertionFailedError.class : TestAbortedException.class;
        Throwable t = assertThrows(expected, () -> Peers.tool("tlsaccel-no-such-peer-tool"));
        assertTrue(t.getMessage().contains("tlsaccel-no-such-peer-tool is not installed"), t.getMessage());
    }
}
