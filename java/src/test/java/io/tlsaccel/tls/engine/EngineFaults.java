package io.tlsaccel.tls.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;
import javax.net.ssl.SSLEngine;

/** Fault injection and end-state checks shared by the engine failure tests (TLS 1.3 and 1.2). */
final class EngineFaults {

    private EngineFaults() {
    }

    /** Both directions of {@code e} are closed. */
    static void assertClosed(SSLEngine e) {
        assertTrue(e.isInboundDone(), e + " inbound not done");
        assertTrue(e.isOutboundDone(), e + " outbound not done");
    }

    /** An outgoing-handshake filter that rewrites messages of one type with {@code f}. */
    static UnaryOperator<byte[]> replaceMessage(int type, UnaryOperator<byte[]> f) {
        return m -> (m[0] & 0xff) == type ? f.apply(m) : m;
    }

    /** A copy with the last byte's low bit flipped (a signature or verify_data gone wrong). */
    static byte[] flipLastByte(byte[] m) {
        byte[] c = m.clone();
        c[c.length - 1] ^= 1;
        return c;
    }
}
