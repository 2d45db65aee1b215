package io.tlsaccel.tls.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.testutil.EnginePair;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

/** The record path allocates nothing per record beyond the SSLEngineResult the API returns. */
class AllocationTest {

    @Test
    void wrapAndUnwrapDoNotAllocatePerRecord() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!mx.isThreadAllocatedMemorySupported()) {
            return;
        }
        mx.setThreadAllocatedMemoryEnabled(true);
        EnginePair p = EngineBehaviourTest.established(true, true);
        SSLEngine c = p.client.engine;
        SSLEngine s = p.server.engine;
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
            }
        }
        long perRecord = (mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before) / records;
        System.out.println("bytes allocated per record (wrap+unwrap): " + perRecord);
        // Two SSLEngineResult objects (and whatever the selected AEAD backend needs).
        assertTrue(perRecord < 400, "allocates " + perRecord + " bytes per record");
    }
}
