package io.tlsaccel.tls.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.testutil.EnginePair;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The TLS 1.3 server and the client's compatibility ChangeCipherSpec (RFC 8446 5, D.4): one
 * unprotected CCS is accepted once a ClientHello arrived, including between HelloRetryRequest
 * and the second ClientHello (as OpenSSL sends it); before any ClientHello, or a second one,
 * is unexpected_message.
 */
class CompatibilityCcsTest {
    private static final byte[] CCS = {20, 3, 3, 0, 1, 1};

    /**
     * Client to server: our client's own CCS records are dropped and {@code before[i]} CCS
     * records are put in front of the i-th plaintext ClientHello flight.
     */
    private static EnginePair helloRetryPair(int... before) {
        TlsEngine c = (TlsEngine) EngineBehaviourTest.client(true);
        c.setNamedGroups(new String[] {"x25519", "secp384r1"});
        TlsEngine s = (TlsEngine) EngineBehaviourTest.server(true);
        s.setNamedGroups(new String[] {"secp384r1"});
        EnginePair p = new EnginePair(c, s);
        int[] hellos = new int[1];
        p.clientToServer = in -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (in.get(in.position()) == 22) {
                int n = hellos[0] < before.length ? before[hellos[0]] : 0;
                hellos[0]++;
                for (int i = 0; i < n; i++) {
                    out.writeBytes(CCS);
                }
            }
            while (in.remaining() >= 5) {
                int len = ((in.get(in.position() + 3) & 0xff) << 8) | (in.get(in.position() + 4) & 0xff);
                byte[] rec = new byte[Math.min(5 + len, in.remaining())];
                in.get(rec);
                if (rec[0] != 20) {
                    out.writeBytes(rec);
                }
            }
            byte[] rest = new byte[in.remaining()];
            in.get(rest);
            out.writeBytes(rest);
            return ByteBuffer.wrap(out.toByteArray());
        };
        return p;
    }

    @Test
    void ccsBetweenHelloRetryRequestAndSecondClientHelloIsAccepted() throws Exception {
        EnginePair p = helloRetryPair(0, 1);
        p.handshake();
        assertNull(p.server.error, () -> "server: " + p.server.error);
        assertNull(p.client.error, () -> "client: " + p.client.error);
        assertArrayEquals(new byte[] {7, 8}, p.send(p.client, new byte[] {7, 8}));
    }

    static void assertServerRefusesCcs(EnginePair p) throws Exception {
        p.handshake();
        assertNotNull(p.server.error);
        assertTrue(p.server.error.getMessage().contains("unexpected change_cipher_spec"), p.server.error.getMessage());
    }

    @Test
    void secondCcsAfterHelloRetryRequestIsRefused() throws Exception {
        assertServerRefusesCcs(helloRetryPair(0, 2));
    }

    @Test
    void ccsBeforeAnyClientHelloIsRefused() throws Exception {
        assertServerRefusesCcs(helloRetryPair(1, 0));
    }

    @Test
    void ccsAfterFirstClientHelloWithoutRetryIsAccepted() throws Exception {
        EnginePair p = new EnginePair(EngineBehaviourTest.client(true), EngineBehaviourTest.server(true));
        p.handshake();
        assertNull(p.server.error, () -> "server: " + p.server.error);
        assertNull(p.client.error, () -> "client: " + p.client.error);
    }
}
