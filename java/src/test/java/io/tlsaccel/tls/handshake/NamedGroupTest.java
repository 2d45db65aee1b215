package io.tlsaccel.tls.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tlsaccel.tls.handshake.NamedGroup;
import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.TlsAlertException;
import java.security.KeyPair;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Key shares: the JDK and Bouncy Castle agree on every group, and bad shares are refused. */
class NamedGroupTest {
    static final SecureRandom RANDOM = new SecureRandom();

    @ParameterizedTest
    @EnumSource(value = NamedGroup.class, names = {"X25519", "SECP256R1", "SECP384R1"}) // the hybrids: KeySharesTest
    void jdkAndBouncyCastleAgree(NamedGroup g) throws Exception {
        Provider bc = new org.bouncycastle.jce.provider.BouncyCastleProvider();
        Provider[][] pairs = {{null, bc}, {bc, null}, {bc, bc}, {null, null}};
        int expected = g == NamedGroup.SECP384R1 ? 48 : 32;
        for (Provider[] pp : pairs) {
            KeyPair a = g.generate(RANDOM, pp[0]);
            KeyPair b = g.generate(RANDOM, pp[1]);
            byte[] aPub = g.encodePublic(a.getPublic());
            byte[] bPub = g.encodePublic(b.getPublic());
            byte[] s1 = g.agree(a.getPrivate(), g.decodePublic(bPub, pp[0]), pp[0]);
            byte[] s2 = g.agree(b.getPrivate(), g.decodePublic(aPub, pp[1]), pp[1]);
            assertEquals(expected, s1.length);
            assertArrayEquals(s1, s2, Arrays.toString(pp));
        }
    }

    @ParameterizedTest
    @EnumSource(value = NamedGroup.class, names = {"X25519", "SECP256R1", "SECP384R1"}) // the hybrids: KeySharesTest
    void badSharesAreIllegalParameter(NamedGroup g) {
        byte[] pub = g.encodePublic(g.generate(RANDOM).getPublic());
        TlsAlertException e = assertThrows(TlsAlertException.class, () -> g.decodePublic(Arrays.copyOf(pub, pub.length - 1)));
        assertEquals(AlertDescription.ILLEGAL_PARAMETER, e.alert());
        if (g != NamedGroup.X25519) {
            byte[] off = pub.clone();
            off[off.length - 1] ^= 1; // no longer on the curve
            assertEquals(AlertDescription.ILLEGAL_PARAMETER,
                    assertThrows(TlsAlertException.class, () -> g.decodePublic(off)).alert());
        } else {
            // u = 0 gives an all-zero shared secret (RFC 7748 6.1).
            KeyPair kp = g.generate(RANDOM);
            assertThrows(TlsAlertException.class, () -> g.agree(kp.getPrivate(), g.decodePublic(new byte[32])));
        }
    }
}
