package io.tlsaccel.tls.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.tls.message.CertificateMessage;
import io.tlsaccel.tls.message.Tls12Certificate;
import io.tlsaccel.tls.message.TlsReader;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

/** Our Certificate messages: the messages encoding gives, made once per chain of the same objects. */
class OwnCertificateMessagesTest {

    @Test
    void theCachedMessagesAreTheEncodingsOfTheChainInBothVersions() throws Exception {
        TestPki.Credential ca = TestPki.newCa("own messages CA");
        X509Certificate[] chain = TestPki.issue(ca, TestPki.KeyType.EC_P256, "own.example").chain();
        List<byte[]> ders = PeerCertificates.encode(chain);

        byte[] tls13 = OwnCertificateMessages.tls13(chain);
        assertArrayEquals(new CertificateMessage(new byte[0], ders).encode(), tls13);
        CertificateMessage decoded = CertificateMessage.decode(body(tls13));
        assertEquals(0, decoded.requestContext().length);
        assertChain(ders, decoded.certificates());

        byte[] tls12 = OwnCertificateMessages.tls12(chain);
        assertArrayEquals(new Tls12Certificate(ders).encode(), tls12);
        assertChain(ders, Tls12Certificate.decode(body(tls12)).certificates());
    }

    @Test
    void onlyTheSameCertificateObjectsShareAnEntry() throws Exception {
        TestPki.Credential ca = TestPki.newCa("identity CA");
        X509Certificate[] chain = TestPki.issue(ca, TestPki.KeyType.EC_P256, "one.example").chain();
        byte[] first = OwnCertificateMessages.tls13(chain);
        // A key manager returns a new array of the same objects each call: same bytes, made once.
        assertSame(first, OwnCertificateMessages.tls13(chain.clone()));
        assertSame(OwnCertificateMessages.tls12(chain), OwnCertificateMessages.tls12(chain.clone()));

        // Equal certificates in new objects are encoded afresh (equal bytes, not the cached array).
        X509Certificate[] reparsed = reparse(chain);
        byte[] fresh = OwnCertificateMessages.tls13(reparsed);
        assertNotSame(first, fresh);
        assertArrayEquals(first, fresh);

        // Another leaf, or the same leaf with a shorter chain, is never served another chain's bytes.
        X509Certificate[] other = TestPki.issue(ca, TestPki.KeyType.EC_P256, "two.example").chain();
        assertFalse(Arrays.equals(first, OwnCertificateMessages.tls13(other)));
        X509Certificate[] leafOnly = {chain[0]};
        assertArrayEquals(new CertificateMessage(new byte[0], PeerCertificates.encode(leafOnly)).encode(),
                OwnCertificateMessages.tls13(leafOnly));
    }

    @Test
    void theCacheIsBounded() throws Exception {
        TestPki.Credential ca = TestPki.newCa("bounded CA");
        X509Certificate[] chain = TestPki.issue(ca, TestPki.KeyType.EC_P256, "many.example").chain();
        // New objects for the same certificates each time: every call is a new entry.
        for (int i = 0; i < OwnCertificateMessages.CAPACITY + 20; i++) {
            OwnCertificateMessages.tls12(reparse(chain));
        }
        assertTrue(OwnCertificateMessages.size() <= OwnCertificateMessages.CAPACITY,
                "cache holds " + OwnCertificateMessages.size() + " chains");
    }

    private static TlsReader body(byte[] message) {
        // Handshake header: type (1) and u24 length.
        return new TlsReader(Arrays.copyOfRange(message, 4, message.length));
    }

    private static void assertChain(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i));
        }
    }

    private static X509Certificate[] reparse(X509Certificate[] chain) throws Exception {
        // Bouncy Castle's factory: the JDK's returns its cached object for an encoding seen before.
        CertificateFactory cf = CertificateFactory.getInstance("X.509", new BouncyCastleProvider());
        X509Certificate[] out = new X509Certificate[chain.length];
        for (int i = 0; i < chain.length; i++) {
            out[i] = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(chain[i].getEncoded()));
        }
        return out;
    }
}
