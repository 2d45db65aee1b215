package io.tlsaccel.tls.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.testutil.EnginePair;
import io.tlsaccel.tls.message.ClientHello;
import io.tlsaccel.tls.message.Extension;
import io.tlsaccel.tls.message.ExtensionType;
import io.tlsaccel.tls.message.Extensions;
import io.tlsaccel.tls.message.HandshakeType;
import io.tlsaccel.tls.message.KeyShareEntry;
import io.tlsaccel.tls.message.TlsReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** X25519MLKEM768 and SecP256r1MLKEM768 (draft-ietf-tls-ecdhe-mlkem) in handshakes. */
class HybridKeyExchangeTest {

    /** Records the client's view: groups it heard the server choose and ServerHellos received. */
    static final class Watch implements HandshakeObserver {
        final StringBuilder events = new StringBuilder();
        int serverHellos;

        @Override
        public void message(boolean outbound, int type, int length) {
            if (!outbound && type == HandshakeType.SERVER_HELLO) {
                serverHellos++;
            }
        }

        @Override
        public void event(String description) {
            events.append(description).append('\n');
        }
    }

    static EnginePair pair(SSLEngine client, SSLEngine server, Watch watch) throws Exception {
        if (client instanceof TlsEngine t) {
            t.setHandshakeObserver(watch);
        }
        EnginePair p = new EnginePair(client, server);
        p.handshake();
        return p;
    }

    @Test
    void oursNegotiateTheHybridByDefault() throws Exception {
        Watch w = new Watch();
        EnginePair p = pair(EngineBehaviourTest.client(true), EngineBehaviourTest.server(true), w);
        assertNull(p.client.error);
        assertNull(p.server.error);
        assertTrue(w.events.toString().contains("key exchange X25519MLKEM768"), w.events::toString);
        assertEquals(1, w.serverHellos);
    }

    @Test
    void secp256r1HybridWhenAskedFor() throws Exception {
        Watch w = new Watch();
        TlsEngine c = (TlsEngine) EngineBehaviourTest.client(true);
        c.setNamedGroups(new String[] {"SecP256r1MLKEM768"});
        TlsEngine s = (TlsEngine) EngineBehaviourTest.server(true);
        s.setNamedGroups(new String[] {"SecP256r1MLKEM768", "x25519"});
        EnginePair p = pair(c, s, w);
        assertNull(p.server.error);
        assertTrue(w.events.toString().contains("key exchange SecP256r1MLKEM768"), w.events::toString);
    }

    /**
     * A client offering only the hybrid (its classical group not enabled, so one share), a
     * server without it: a HelloRetryRequest for a group both have, then completion.
     */
    @Test
    void hybridOnlyClientCompletesAfterARetry() throws Exception {
        Watch w = new Watch();
        TlsEngine c = (TlsEngine) EngineBehaviourTest.client(true);
        c.setNamedGroups(new String[] {"X25519MLKEM768", "secp256r1"}); // x25519 not enabled: one share, the hybrid
        TlsEngine s = (TlsEngine) EngineBehaviourTest.server(true);
        s.setNamedGroups(new String[] {"secp256r1"});
        EnginePair p = pair(c, s, w);
        assertNull(p.client.error, () -> String.valueOf(p.client.error));
        assertNull(p.server.error, () -> String.valueOf(p.server.error));
        assertEquals(2, w.serverHellos, "a HelloRetryRequest, then the ServerHello");
        assertTrue(w.events.toString().contains("key exchange secp256r1"), w.events::toString);
    }

    @ParameterizedTest(name = "ours is the client: {0}")
    @ValueSource(booleans = {true, false})
    void sunJsseWithoutTheHybridStillGetsOneRoundTrip(boolean oursIsClient) throws Exception {
        Watch w = new Watch();
        EnginePair p = pair(EngineBehaviourTest.client(oursIsClient), EngineBehaviourTest.server(!oursIsClient), w);
        assertNull(p.client.error, () -> String.valueOf(p.client.error));
        assertNull(p.server.error, () -> String.valueOf(p.server.error));
        if (oursIsClient && Runtime.version().feature() < 26) {
            assertEquals(1, w.serverHellos, "the x25519 share beside the hybrid one was used");
        }
    }

    @ParameterizedTest(name = "hybrid share of {0} bytes")
    @ValueSource(ints = {1215, 1217, 32})
    void wrongLengthHybridShareIsIllegalParameter(int length) throws Exception {
        TlsEngine c = (TlsEngine) EngineBehaviourTest.client(true);
        c.setOutgoingHandshakeFilterForTesting(EngineFaults.replaceMessage(HandshakeType.CLIENT_HELLO,
                m -> resizeShare(m, 0x11ec, length)));
        EnginePair p = new EnginePair(c, EngineBehaviourTest.server(true));
        p.pump();
        assertNotNull(p.server.error);
        EngineFaults.assertAlert(p.server, p.client, "illegal_parameter");
    }

    static byte[] resizeShare(byte[] m, int group, int length) {
        return rewriteShares(m, shares -> shares.replaceAll(e -> e.group() == group
                ? new KeyShareEntry(group, Arrays.copyOf(e.keyExchange(), length)) : e));
    }

    static byte[] rewriteShares(byte[] m, java.util.function.Consumer<List<KeyShareEntry>> edit) {
        try {
            ClientHello ch = ClientHello.decode(new TlsReader(m, 4, m.length - 4));
            List<Extension> exts = new ArrayList<>();
            for (Extension e : ch.extensions()) {
                if (e.type() == ExtensionType.KEY_SHARE) {
                    List<KeyShareEntry> shares = new ArrayList<>(Extensions.parseKeyShareClient(e.data()));
                    edit.accept(shares);
                    exts.add(Extensions.keyShareClient(shares));
                } else {
                    exts.add(e);
                }
            }
            return new ClientHello(ch.legacyVersion(), ch.random(), ch.legacySessionId(), ch.cipherSuites(),
                    ch.legacyCompressionMethods(), exts).encode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
