package io.tlsaccel.tls.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.testutil.EnginePair;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The TLS 1.2 record path (explicit GCM nonce, ChaCha20 IV xor seq) allocates nothing per record either. */
class Tls12AllocationTest {

    @ParameterizedTest
    @ValueSource(strings = {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"})
    void wrapAndUnwrapDoNotAllocatePerRecord(String suite) throws Exception {
        EnginePair p = Tls12FailureTest.pair12();
        p.client.engine.setEnabledCipherSuites(new String[] {suite});
        p.handshake();
        assertNull(p.client.error);
        assertNull(p.server.error);
        SSLEngine c = p.client.engine;
        SSLEngine s = p.server.engine;
        assertEquals(suite, c.getSession().getCipherSuite());
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!mx.isThreadAllocatedMemorySupported()) {
            return;
        }
        mx.setThreadAllocatedMemoryEnabled(true);
        ByteBuffer src = ByteBuffer.allocate(16384);
        ByteBuffer net = ByteBuffer.allocate(c.getSession().getPacketBufferSize());
        ByteBuffer app = ByteBuffer.allocate(16384 + 256);
        int records = 2000;
        long before = 0;
        for (int round = 0; round < 2; round++) {
            if (round == 1) {
                before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
            }
            for (int i = 0; i < records; i++) {
                src.clear();
                net.clear();
                c.wrap(src, net);
                net.flip();
                app.clear();
                s.unwrap(net, app);
                assertEquals(16384, app.position());
            }
        }
        long perRecord = (mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before) / records;
        System.out.println("TLS 1.2 " + suite + ": bytes allocated per record (wrap+unwrap): " + perRecord);
        assertTrue(perRecord < 400, "allocates " + perRecord + " bytes per record");
    }
}
