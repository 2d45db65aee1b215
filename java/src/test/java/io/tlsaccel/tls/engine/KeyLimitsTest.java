package io.tlsaccel.tls.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.testutil.EnginePair;
import java.security.Security;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code jdk.tls.keyLimits} (a security property) lowers how much one TLS 1.3 key protects. */
class KeyLimitsTest {

    @Test
    void keyLimitsPropertyTriggersKeyUpdates() throws Exception {
        // 2^15 bytes: a KeyUpdate after every 2 full records.
        assertEquals(3, keyUpdatesAfterEightFullRecords("AES/GCM/NoPadding KeyUpdate 2^15, ChaCha20-Poly1305 KeyUpdate 2^15"));
    }

    @Test
    void jdkDefaultLimitIsFarAway() throws Exception {
        assertEquals(0, keyUpdatesAfterEightFullRecords("AES/GCM/NoPadding KeyUpdate 2^37, ChaCha20-Poly1305 KeyUpdate 2^37"));
    }

    private static int keyUpdatesAfterEightFullRecords(String limits) throws Exception {
        String old = Security.getProperty("jdk.tls.keyLimits");
        try {
            Security.setProperty("jdk.tls.keyLimits", limits);
            TlsEngine client = (TlsEngine) EngineBehaviourTest.client(true); // its context reads the property now
            AtomicInteger keyChanges = new AtomicInteger();
            client.setHandshakeObserver(new HandshakeObserver() {
                @Override
                public void message(boolean outbound, int type, int length) {
                }

                @Override
                public void event(String description) {
                    if (description.contains("sending under application traffic keys")) {
                        keyChanges.incrementAndGet();
                    }
                }
            });
            EnginePair p = new EnginePair(client, EngineBehaviourTest.server(true));
            p.handshake();
            assertEquals(1, keyChanges.get());
            byte[] record = new byte[16384];
            for (int i = 0; i < 8; i++) {
                record[0] = (byte) i;
                assertArrayEquals(record, p.send(p.client, record));
            }
            assertNull(p.client.error);
            assertNull(p.server.error);
            assertTrue(client.getSession().getCipherSuite().contains("GCM") || client.getSession().getCipherSuite().contains("CHACHA"));
            return keyChanges.get() - 1;
        } finally {
            Security.setProperty("jdk.tls.keyLimits", old == null ? "" : old);
        }
    }
}
