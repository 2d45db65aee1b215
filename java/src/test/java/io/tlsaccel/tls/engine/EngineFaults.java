package io.tlsaccel.tls.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.testutil.EnginePair;
import io.tlsaccel.tls.message.ClientHello;
import io.tlsaccel.tls.message.Extension;
import io.tlsaccel.tls.message.HandshakeType;
import io.tlsaccel.tls.message.TlsReader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLEngine;

/** Fault injection and end-state checks shared by the engine failure tests (TLS 1.3 and 1.2). */
final class EngineFaults {

    private EngineFaults() {
    }

    /** Both directions of {@code e} are closed. */
    /**
     * The side that detected the problem raised one of {@code alerts}, the other side received it
     * as a fatal alert, and both engines are closed.
     */
    static void assertAlert(EnginePair.Side detector, EnginePair.Side receiver, String... alerts) {
        org.junit.jupiter.api.Assertions.assertNotNull(detector.error, "detecting side raised no error");
        String local = detector.error.getMessage();
        assertTrue(java.util.Arrays.stream(alerts).anyMatch(local::contains), "local error names the alert: " + local);
        org.junit.jupiter.api.Assertions.assertNotNull(receiver.error, "peer saw no alert");
        String remote = receiver.error.getMessage();
        assertTrue(java.util.Arrays.stream(alerts).anyMatch(a -> remote.contains("Received fatal alert: " + a)),
                "peer received the alert: " + remote);
        assertClosed(detector.engine);
        assertClosed(receiver.engine);
    }

    static void assertClosed(SSLEngine e) {
        assertTrue(e.isInboundDone(), e + " inbound not done");
        assertTrue(e.isOutboundDone(), e + " outbound not done");
    }

    /** An outgoing-handshake filter that rewrites messages of one type with {@code f}. */
    static UnaryOperator<byte[]> replaceMessage(int type, UnaryOperator<byte[]> f) {
        return m -> (m[0] & 0xff) == type ? f.apply(m) : m;
    }

    /**
     * Makes {@code e} (one of ours) send each outgoing handshake message of {@code type} with its
     * last byte flipped, after the message entered its own transcript.
     */
    static void corruptOutgoing(SSLEngine e, int type) {
        ((TlsEngine) e).setOutgoingHandshakeFilterForTesting(replaceMessage(type, EngineFaults::flipLastByte));
    }

    /** A copy with the last byte's low bit flipped (a signature or verify_data gone wrong). */
    static byte[] flipLastByte(byte[] m) {
        byte[] c = m.clone();
        c[c.length - 1] ^= 1;
        return c;
    }

    /** A client filter that drops one extension from the ClientHello. */
    static UnaryOperator<byte[]> clientHelloWithout(int extType) {
        return replaceMessage(HandshakeType.CLIENT_HELLO, m -> {
            try {
                ClientHello ch = ClientHello.decode(new TlsReader(m, 4, m.length - 4));
                List<Extension> exts = new ArrayList<>(ch.extensions());
                exts.removeIf(e -> e.type() == extType);
                return new ClientHello(ch.legacyVersion(), ch.random(), ch.legacySessionId(), ch.cipherSuites(),
                        ch.legacyCompressionMethods(), exts).encode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
