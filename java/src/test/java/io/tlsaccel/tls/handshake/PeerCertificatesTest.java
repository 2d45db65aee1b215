package io.tlsaccel.tls.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.TlsAlertException;
import io.tlsaccel.testutil.TestPki;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chains of resumed sessions: parsed once per encoding, the same certificates as parsing gives. */
class PeerCertificatesTest {

    @Test
    void aResumedChainIsParsedOnceAndIsTheChainThatWasStored() throws Exception {
        TestPki.Credential ca = TestPki.newCa("resumed chain CA");
        TestPki.Credential leaf = TestPki.issue(ca, TestPki.KeyType.EC_P256, "resumed.example");
        List<byte[]> ders = PeerCertificates.encode(leaf.chain());

        X509Certificate[] first = PeerCertificates.parseOrNull(ders);
        assertArrayEquals(leaf.chain(), first);
        // A copy of the same bytes (as a ticket or a cache entry would hold them) finds the same objects.
        List<byte[]> copy = ders.stream().map(byte[]::clone).toList();
        X509Certificate[] again = PeerCertificates.parseOrNull(copy);
        assertNotSame(first, again);
        for (int i = 0; i < first.length; i++) {
            assertSame(first[i], again[i]);
        }
        // Another chain is parsed, never mistaken for a cached one.
        TestPki.Credential other = TestPki.issue(ca, TestPki.KeyType.EC_P256, "other.example");
        assertEquals(other.chain()[0], PeerCertificates.parseOrNull(PeerCertificates.encode(other.chain()))[0]);
        assertNull(PeerCertificates.parseOrNull(List.of()));
    }

    @Test
    void aStoredChainThatDoesNotParseIsBadCertificate() {
        TlsAlertException e = assertThrows(TlsAlertException.class,
                () -> PeerCertificates.parseOrNull(List.of(new byte[] {0x30, 0x03, 1, 2, 3})));
        assertEquals(AlertDescription.BAD_CERTIFICATE, e.alert());
    }
}
