package io.tlsaccel.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsaccel.testutil.AeadPaths;
import io.tlsaccel.testutil.Wycheproof;
import io.tlsaccel.testutil.X25519Paths;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.security.spec.XECPrivateKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.crypto.KeyAgreement;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every X25519 path (Bouncy Castle's, each native implementation, the native dispatcher's
 * choice) against RFC 7748, Wycheproof {@code x25519_test.json}, and the JDK's XDH and Bouncy
 * Castle's JCA X25519 on random keys and on low-order and non-canonical peer keys: the same
 * secret, or a refusal where they refuse.
 */
class X25519ConformanceTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final Provider BC = new BouncyCastleProvider();
    /** X.509 SubjectPublicKeyInfo prefix of an X25519 key (RFC 8410). */
    private static final byte[] SPKI_PREFIX = HEX.parseHex("302a300506032b656e032100");
    /** u = 9 (RFC 7748 4.1). */
    private static final byte[] BASE_POINT = HEX.parseHex("0900000000000000000000000000000000000000000000000000000000000000");

    @BeforeAll
    static void nativeMustLoadInCi() {
        AeadPaths.requireNativeInCi();
    }

    static Stream<X25519> paths() {
        return X25519Paths.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void rfc7748Vectors(X25519 x) throws Exception {
        // 5.2
        assertArrayEquals(HEX.parseHex("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"),
                x.sharedSecret(HEX.parseHex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
                        HEX.parseHex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c")));
        byte[] k = new byte[32];
        byte[] u = new byte[32];
        k[0] = 9;
        u[0] = 9;
        for (int i = 0; i < 1000; i++) {
            byte[] next = x.sharedSecret(k, u);
            u = k;
            k = next;
        }
        assertArrayEquals(HEX.parseHex("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51"), k);
        // 6.1
        byte[] alice = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bobPub = HEX.parseHex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        assertArrayEquals(HEX.parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"),
                x.publicKey(alice));
        assertArrayEquals(HEX.parseHex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"),
                x.sharedSecret(alice, bobPub));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void wycheproof(X25519 x) {
        JsonNode file = Wycheproof.file("x25519_test.json");
        int run = 0;
        int refused = 0;
        for (JsonNode group : file.get("testGroups")) {
            for (JsonNode t : group.get("tests")) {
                byte[] pub = HEX.parseHex(t.get("public").asText());
                byte[] priv = HEX.parseHex(t.get("private").asText());
                byte[] shared = HEX.parseHex(t.get("shared").asText());
                String id = "tcId " + t.get("tcId").asInt() + " " + t.get("comment").asText();
                assertTrue(!"invalid".equals(t.get("result").asText()), id); // the file has none
                if (Arrays.equals(shared, new byte[32])) {
                    // "acceptable" in Wycheproof; RFC 8446 7.4.2 makes TLS refuse it
                    assertThrows(InvalidKeyException.class, () -> x.sharedSecret(priv, pub), id);
                    refused++;
                } else {
                    try {
                        assertArrayEquals(shared, x.sharedSecret(priv, pub), id);
                    } catch (InvalidKeyException e) {
                        throw new AssertionError(id, e);
                    }
                }
                run++;
            }
        }
        assertTrue(run > 500, "too few cases: " + run);
        assertTrue(refused > 20, "too few all-zero cases: " + refused);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void agreesWithJdkAndBouncyCastleOnRandomKeys(X25519 x) throws Exception {
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 300; i++) {
            byte[] a = X25519.newPrivateKey(random);
            byte[] b = X25519.newPrivateKey(random);
            byte[] aPub = x.publicKey(a);
            byte[] bPub = x.publicKey(b);
            assertArrayEquals(jca(a, BASE_POINT, null), aPub);
            byte[] s = x.sharedSecret(a, bPub);
            assertArrayEquals(s, x.sharedSecret(b, aPub));
            assertArrayEquals(s, jca(a, bPub, null));
            assertArrayEquals(s, jca(b, aPub, BC));
        }
    }

    /** Peer keys from the edges: low order, u >= p, bit 255 set, random strings (on the curve
     * or its twist). Every path must match the JDK's and BC's result, or refuse with them. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void agreesWithJdkAndBouncyCastleOnOddPeerKeys(X25519 x) throws Exception {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        String[] lowOrder = {
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0100000000000000000000000000000000000000000000000000000000000000",
            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
            "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        };
        for (int i = 0; i < 400; i++) {
            byte[] priv = new byte[32];
            r.nextBytes(priv);
            byte[] peer = new byte[32];
            if (i < 2 * lowOrder.length) {
                peer = HEX.parseHex(lowOrder[i / 2]);
            } else if (i % 3 == 0) { // p + j: non-canonical
                Arrays.fill(peer, (byte) 0xff);
                peer[31] = 0x7f;
                peer[0] = (byte) (0xed + r.nextInt(19));
            } else {
                r.nextBytes(peer);
            }
            if (i % 2 == 1) {
                peer[31] |= (byte) 0x80; // bit 255 is ignored (RFC 7748 5)
            }
            String what = "seed " + seed + " case " + i + " peer " + HEX.formatHex(peer);
            byte[] ours = secretOrNull(x, priv, peer);
            assertArrayEquals(jcaOrNull(priv, peer, null), ours, "JDK, " + what);
            assertArrayEquals(jcaOrNull(priv, peer, BC), ours, "BC, " + what);
            if (i < 2 * lowOrder.length) {
                assertEquals(null, ours, "low-order key accepted: " + what);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void refusesBadArguments(X25519 x) {
        assertThrows(IllegalArgumentException.class, () -> x.publicKey(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> x.publicKey(new byte[33]));
        assertThrows(NullPointerException.class, () -> x.publicKey(null));
        assertThrows(IllegalArgumentException.class, () -> x.sharedSecret(new byte[32], new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> x.sharedSecret(new byte[64], new byte[32]));
        assertThrows(NullPointerException.class, () -> x.sharedSecret(new byte[32], null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> x.sharedSecret(new byte[32], new byte[31]));
        assertTrue(!e.getMessage().contains("0000"), "message leaks bytes: " + e.getMessage());
    }

    private static byte[] secretOrNull(X25519 x, byte[] priv, byte[] peer) {
        try {
            return x.sharedSecret(priv, peer);
        } catch (InvalidKeyException e) {
            return null;
        }
    }

    /** The JDK's XDH (provider null) or BC's JCA X25519, from raw keys; null when refused. */
    private static byte[] jcaOrNull(byte[] priv, byte[] peer, Provider p) {
        try {
            byte[] s = jca(priv, peer, p);
            return Arrays.equals(s, new byte[32]) ? null : s;
        } catch (Exception e) {
            return null;
        }
    }

    private static byte[] jca(byte[] priv, byte[] peer, Provider p) throws Exception {
        KeyFactory kf = p == null ? KeyFactory.getInstance("XDH") : KeyFactory.getInstance("X25519", p);
        PrivateKey k = kf.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, priv));
        byte[] spki = Arrays.copyOf(SPKI_PREFIX, 44);
        System.arraycopy(peer, 0, spki, 12, 32);
        PublicKey u = kf.generatePublic(new X509EncodedKeySpec(spki));
        KeyAgreement ka = p == null ? KeyAgreement.getInstance("XDH") : KeyAgreement.getInstance("X25519", p);
        ka.init(k);
        ka.doPhase(u, true);
        return ka.generateSecret();
    }
}
