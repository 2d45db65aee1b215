package io.tlsaccel.tls.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tlsaccel.crypto.X25519Keys;
import io.tlsaccel.tls.handshake.NamedGroup;
import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.TlsAlertException;
import java.security.KeyPair;
import java.security.Provider;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/**
 * The handshake's x25519 key share on our own X25519 (the default): its keys interoperate with
 * the JDK's and Bouncy Castle's, a low-order share is illegal_parameter, and
 * {@code tlsaccel.kex=jdk} and {@code =bc} still select those providers.
 */
class NamedGroupX25519Test {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final NamedGroup G = NamedGroup.X25519;

    @Test
    void defaultRunsOnOwnX25519AndInteroperates() throws Exception {
        Provider bc = new org.bouncycastle.jce.provider.BouncyCastleProvider();
        for (Provider p : new Provider[] {null, bc}) {
            KeyPair ours = G.generate(RANDOM);
            assertInstanceOf(X25519Keys.Private.class, ours.getPrivate());
            assertFalse(ours.getPrivate().toString().matches(".*[0-9a-f]{16}.*"), "key in toString");
            KeyPair theirs = G.generate(RANDOM, p);
            byte[] s1 = G.agree(ours.getPrivate(), G.decodePublic(G.encodePublic(theirs.getPublic())));
            byte[] s2 = G.agree(theirs.getPrivate(), G.decodePublic(G.encodePublic(ours.getPublic()), p), p);
            assertArrayEquals(s1, s2);
        }
    }

    @Test
    void lowOrderShareIsIllegalParameter() throws Exception {
        KeyPair ours = G.generate(RANDOM);
        byte[] one = new byte[32];
        one[0] = 1;
        for (byte[] share : new byte[][] {new byte[32], one}) {
            TlsAlertException e = assertThrows(TlsAlertException.class,
                    () -> G.agree(ours.getPrivate(), G.decodePublic(share)));
            assertEquals(AlertDescription.ILLEGAL_PARAMETER, e.alert());
        }
        assertEquals(AlertDescription.ILLEGAL_PARAMETER,
                assertThrows(TlsAlertException.class, () -> G.decodePublic(new byte[31])).alert());
    }

    @Test
    void kexPropertyStillSelectsJdkOrBouncyCastle() throws Exception {
        String before = System.getProperty(NamedGroup.PROPERTY);
        try {
            for (String kex : new String[] {"jdk", "bc"}) {
                System.setProperty(NamedGroup.PROPERTY, kex);
                KeyPair kp = G.generate(RANDOM);
                assertFalse(kp.getPrivate() instanceof X25519Keys.Private, kex);
                String expectedProvider = "jdk".equals(kex) ? "SunEC" : "BC";
                assertEquals(expectedProvider, providerOf(kp), kex);
            }
        } finally {
            if (before == null) {
                System.clearProperty(NamedGroup.PROPERTY);
            } else {
                System.setProperty(NamedGroup.PROPERTY, before);
            }
        }
    }

    /** "SunEC" or "BC", from the key class's package. */
    private static String providerOf(KeyPair kp) {
        return kp.getPrivate().getClass().getName().startsWith("org.bouncycastle") ? "BC" : "SunEC";
    }
}
