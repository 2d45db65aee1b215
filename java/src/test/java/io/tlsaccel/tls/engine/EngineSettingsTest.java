package io.tlsaccel.tls.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.tls.handshake.HandshakeConfig;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

class EngineSettingsTest {
    static EngineSettings settings() {
        return new EngineSettings(List.of("TLSv1.3", "TLSv1.2"), io.tlsaccel.tls.policy.JdkTlsPolicy.none());
    }

    @Test
    void unknownSuitesAndProtocolsAreIgnoredNullsRefused() {
        EngineSettings s = settings();
        s.setEnabledCipherSuites(new String[] {"TLS_EMPTY_RENEGOTIATION_INFO_SCSV", "TLS_AES_128_GCM_SHA256",
                "TLS_AES_128_GCM_SHA256"});
        assertArrayEquals(new String[] {"TLS_AES_128_GCM_SHA256"}, s.enabledCipherSuites());
        s.setEnabledProtocols(new String[] {"TLSv1.1", "TLSv1.2"});
        assertArrayEquals(new String[] {"TLSv1.2"}, s.enabledProtocols());
        assertThrows(IllegalArgumentException.class, () -> s.setEnabledCipherSuites(new String[] {null}));
        assertThrows(IllegalArgumentException.class, () -> s.setEnabledProtocols(null));
        assertThrows(IllegalArgumentException.class, () -> s.setNamedGroups(new String[] {"nope"}));
    }

    @Test
    void needAndWantClientAuthExcludeEachOther() {
        EngineSettings s = settings();
        s.setNeedClientAuth(true);
        s.setWantClientAuth(true);
        assertFalse(s.needClientAuth());
        assertTrue(s.wantClientAuth());
        s.setNeedClientAuth(true);
        assertFalse(s.wantClientAuth());
    }

    @Test
    void parametersRoundTrip() {
        EngineSettings s = settings();
        SSLParameters p = new SSLParameters(new String[] {"TLS_CHACHA20_POLY1305_SHA256"}, new String[] {"TLSv1.3"});
        p.setWantClientAuth(true);
        p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        p.setEndpointIdentificationAlgorithm("HTTPS");
        p.setServerNames(List.of(new SNIHostName("example.com")));
        p.setUseCipherSuitesOrder(false);
        s.apply(p);
        SSLParameters q = s.toParameters();
        assertArrayEquals(p.getCipherSuites(), q.getCipherSuites());
        assertArrayEquals(p.getProtocols(), q.getProtocols());
        assertTrue(q.getWantClientAuth());
        assertArrayEquals(p.getApplicationProtocols(), q.getApplicationProtocols());
        assertEquals("HTTPS", q.getEndpointIdentificationAlgorithm());
        assertEquals(p.getServerNames(), q.getServerNames());
        assertFalse(q.getUseCipherSuitesOrder());
        HandshakeConfig c = s.handshakeConfig(true, "ignored.example");
        assertEquals("example.com", c.serverName());
        assertTrue(c.tls13());
        assertFalse(c.tls12());
    }

    @Test
    void clientSniFromThePeerHostUnlessAnAddress() {
        EngineSettings s = settings();
        assertEquals("host.example", s.handshakeConfig(true, "host.example").serverName());
        assertNull(s.handshakeConfig(true, "192.0.2.1").serverName());
        assertNull(s.handshakeConfig(true, "::1").serverName());
        assertNull(s.handshakeConfig(false, "host.example").serverName());
    }

    @Test
    void groupsInTheOrderGiven() {
        EngineSettings s = settings();
        s.setNamedGroups(new String[] {"secp384r1", "bogus", "x25519", "secp384r1"});
        assertArrayEquals(new String[] {"secp384r1", "x25519"}, s.namedGroups());
    }

    @Test
    void aPeerHostIsAServerNameOnlyWhenItIsAHostNameEvenRightAfterAValidOne() {
        assertTrue(EngineSettings.isHostName("www.example.com"));
        assertTrue(EngineSettings.isHostName("www.example.com"));
        // RFC 6066 3: no literal addresses, no trailing dot; names must pass SNIHostName's rules.
        assertFalse(EngineSettings.isHostName("127.0.0.1"));
        assertFalse(EngineSettings.isHostName("::1"));
        assertFalse(EngineSettings.isHostName("www.example.com."));
        assertFalse(EngineSettings.isHostName("bad_host!.example"));
        assertFalse(EngineSettings.isHostName(""));
        assertTrue(EngineSettings.isHostName("b.example"));
        assertFalse(EngineSettings.isHostName("www.example.com!"));
    }
}
