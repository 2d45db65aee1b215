package io.tlsaccel.provider;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.crypto.RawKey;
import java.nio.ByteBuffer;
import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The JDK's observable Cipher/Mac semantics, checked once per backend (and against SunJCE where shared). */
class ProviderSemanticsTest {

    private static final SecureRandom RND = new SecureRandom();
    private static final Provider SUN = Security.getProvider("SunJCE");

    static List<String> backends() {
        return ProviderBackends.names().toList();
    }

    /** The two AEADs, as (backend, algorithm) pairs. */
    static List<Object[]> aeads() {
        return backends().stream()
                .flatMap(b -> java.util.stream.Stream.of(new Object[] {b, "AES/GCM/NoPadding"},
                        new Object[] {b, "ChaCha20-Poly1305"}))
                .toList();
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RND.nextBytes(b);
        return b;
    }

    static boolean chacha(String alg) {
        return alg.startsWith("ChaCha");
    }

    static SecretKey key(String alg) {
        return chacha(alg) ? new SecretKeySpec(bytes(32), "ChaCha20") : new SecretKeySpec(bytes(16), "AES");
    }

    static AlgorithmParameterSpec spec(String alg, byte[] nonce) {
        return chacha(alg) ? new IvParameterSpec(nonce) : new GCMParameterSpec(128, nonce);
    }

    static byte[] seal(Cipher c, Key k, AlgorithmParameterSpec s, byte[] aad, byte[] msg) throws Exception {
        c.init(Cipher.ENCRYPT_MODE, k, s);
        c.updateAAD(aad);
        return c.doFinal(msg);
    }

    // ---- registration ----

    @Test
    void getInstanceAfterAddProvider() throws Exception {
        ProviderBackends.requireSelectedBackend();
        TlsAccelProvider p = TlsAccelProvider.install();
        assertSame(p, TlsAccelProvider.install(), "install is idempotent");
        assertSame(p, Security.getProvider("TlsAccel"));
        for (String alg : new String[] {"AES/GCM/NoPadding", "AES_128/GCM/NoPadding", "AES_256/GCM/NoPadding",
                "ChaCha20-Poly1305", "2.16.840.1.101.3.4.1.6", "OID.2.16.840.1.101.3.4.1.46",
                "1.2.840.113549.1.9.16.3.18", "aes/gcm/nopadding"}) {
            assertEquals("TlsAccel", Cipher.getInstance(alg, "TlsAccel").getProvider().getName(), alg);
        }
        for (String alg : new String[] {"HmacSHA256", "HmacSHA384", "1.2.840.113549.2.9", "1.2.840.113549.2.10"}) {
            assertEquals("TlsAccel", Mac.getInstance(alg, "TlsAccel").getProvider().getName(), alg);
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding", "TlsAccel");
        SecretKey k = key("AES/GCM/NoPadding");
        byte[] n = bytes(12);
        byte[] aad = bytes(13);
        byte[] msg = bytes(100);
        assertArrayEquals(seal(Cipher.getInstance("AES/GCM/NoPadding", SUN), k, spec("AES", n), aad, msg),
                seal(c, k, spec("AES", n), aad, msg));
        assertEquals("RAW", p.getService("Cipher", "AES/GCM/NoPadding").getAttribute("SupportedKeyFormats"));
    }

    @Test
    void serviceLoaderFindsTheProvider() throws Exception {
        Provider found = null;
        for (Provider p : ServiceLoader.load(Provider.class)) {
            if ("TlsAccel".equals(p.getName())) {
                found = p;
            }
        }
        assertNotNull(found, "META-INF/services/java.security.Provider lists TlsAccelProvider");
        assertTrue(found instanceof TlsAccelProvider);
        assertEquals(TlsAccelProvider.VERSION, found.getVersionStr());
        ProviderBackends.requireSelectedBackend();
        assertEquals("TlsAccel", Cipher.getInstance("ChaCha20-Poly1305", found).getProvider().getName());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void restrictedAliasesTakeOnlyTheirKeySize(String backend) throws Exception {
        Provider p = ProviderBackends.provider(backend);
        GCMParameterSpec s = new GCMParameterSpec(128, bytes(12));
        Cipher c128 = Cipher.getInstance("AES_128/GCM/NoPadding", p);
        c128.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(bytes(16), "AES"), s);
        assertThrows(InvalidKeyException.class,
                () -> c128.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(bytes(32), "AES"), s));
        Cipher c256 = Cipher.getInstance("2.16.840.1.101.3.4.1.46", p);
        c256.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(bytes(32), "AES"), s);
        assertThrows(InvalidKeyException.class,
                () -> c256.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(bytes(16), "AES"), s));
    }

    // ---- bad keys and parameters ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aesGcmRejectsWhatTheEngineLacks(String backend) throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding", ProviderBackends.provider(backend));
        GCMParameterSpec ok = new GCMParameterSpec(128, bytes(12));
        SecretKey k = new SecretKeySpec(bytes(16), "AES");
        // No AES-192 in the engine.
        InvalidKeyException e = assertThrows(InvalidKeyException.class,
                () -> c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(bytes(24), "AES"), ok));
        assertFalse(e.getMessage().matches(".*[0-9a-f]{16}.*"), "no key material in messages");
        assertThrows(InvalidKeyException.class, () -> c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(bytes(8), "AES"), ok));
        assertThrows(InvalidKeyException.class, () -> c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(bytes(16), "DES"), ok));
        assertThrows(InvalidKeyException.class, () -> c.init(Cipher.ENCRYPT_MODE, (Key) null, ok));
        // 96-bit nonces and 128-bit tags only.
        for (int tLen : new int[] {96, 104, 112, 120, 64, 32}) {
            assertThrows(InvalidAlgorithmParameterException.class,
                    () -> c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(tLen, bytes(12))), "tLen " + tLen);
        }
        for (int ivLen : new int[] {1, 8, 11, 13, 16, 64}) {
            assertThrows(InvalidAlgorithmParameterException.class,
                    () -> c.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(128, bytes(ivLen))), "iv " + ivLen);
        }
        assertThrows(InvalidAlgorithmParameterException.class,
                () -> c.init(Cipher.ENCRYPT_MODE, k, new IvParameterSpec(bytes(12))));
        // Decryption needs the IV: as SunJCE, InvalidKeyException without parameters.
        assertThrows(InvalidKeyException.class, () -> c.init(Cipher.DECRYPT_MODE, k));
        assertThrows(InvalidKeyException.class,
                () -> Cipher.getInstance("AES/GCM/NoPadding", SUN).init(Cipher.DECRYPT_MODE, k));
        assertThrows(InvalidAlgorithmParameterException.class,
                () -> c.init(Cipher.DECRYPT_MODE, k, (AlgorithmParameterSpec) null));
        // Parameters through AlgorithmParameters.
        AlgorithmParameters ap = AlgorithmParameters.getInstance("GCM");
        byte[] n = bytes(12);
        ap.init(new GCMParameterSpec(128, n));
        c.init(Cipher.DECRYPT_MODE, k, ap);
        assertArrayEquals(n, c.getIV());
        AlgorithmParameters wrong = AlgorithmParameters.getInstance("AES");
        wrong.init(new IvParameterSpec(bytes(16)));
        assertThrows(InvalidAlgorithmParameterException.class, () -> c.init(Cipher.DECRYPT_MODE, k, wrong));
        assertEquals(16, c.getBlockSize());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void chachaRejectsBadKeysAndNonces(String backend) throws Exception {
        for (Provider p : new Provider[] {ProviderBackends.provider(backend), SUN}) {
            Cipher c = Cipher.getInstance("ChaCha20-Poly1305", p);
            IvParameterSpec ok = new IvParameterSpec(bytes(12));
            assertThrows(InvalidKeyException.class,
                    () -> c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(bytes(16), "ChaCha20"), ok), p.getName());
            assertThrows(InvalidAlgorithmParameterException.class,
                    () -> c.init(Cipher.ENCRYPT_MODE, key("ChaCha20"), new IvParameterSpec(bytes(8))), p.getName());
            assertThrows(InvalidAlgorithmParameterException.class,
                    () -> c.init(Cipher.ENCRYPT_MODE, key("ChaCha20"), new GCMParameterSpec(128, bytes(12))));
            assertThrows(InvalidKeyException.class, () -> c.init(Cipher.DECRYPT_MODE, key("ChaCha20")), p.getName());
            assertThrows(UnsupportedOperationException.class,
                    () -> c.init(Cipher.WRAP_MODE, key("ChaCha20"), ok), p.getName());
            assertEquals(0, c.getBlockSize());
        }
    }

    // ---- random IVs, parameters, sizes ----

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("aeads")
    void encryptWithoutParametersMakesARandomNonce(String backend, String alg) throws Exception {
        Cipher c = Cipher.getInstance(alg, ProviderBackends.provider(backend));
        assertNull(c.getIV());
        assertNotNull(c.getParameters(), "as SunJCE: random parameters before init");
        SecretKey k = key(alg);
        c.init(Cipher.ENCRYPT_MODE, k);
        byte[] iv = c.getIV();
        assertEquals(12, iv.length);
        AlgorithmParameters ap = c.getParameters();
        byte[] aad = bytes(5);
        c.updateAAD(aad);
        byte[] sealed = c.doFinal(bytes(33));
        assertEquals(33 + 16, sealed.length);
        if (!chacha(alg)) {
            GCMParameterSpec s = ap.getParameterSpec(GCMParameterSpec.class);
            assertEquals(128, s.getTLen());
            assertArrayEquals(iv, s.getIV());
        } else {
            assertArrayEquals(iv, ap.getParameterSpec(IvParameterSpec.class).getIV());
        }
        Cipher d = Cipher.getInstance(alg, SUN);
        d.init(Cipher.DECRYPT_MODE, k, ap);
        d.updateAAD(aad);
        assertEquals(33, d.doFinal(sealed).length);
        c.init(Cipher.ENCRYPT_MODE, k);
        assertFalse(Arrays.equals(iv, c.getIV()), "a fresh nonce per init");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("aeads")
    void outputSizesAndBufferedUpdates(String backend, String alg) throws Exception {
        Cipher c = Cipher.getInstance(alg, ProviderBackends.provider(backend));
        SecretKey k = key(alg);
        byte[] n = bytes(12);
        c.init(Cipher.ENCRYPT_MODE, k, spec(alg, n));
        assertEquals(16, c.getOutputSize(0));
        assertEquals(0, c.update(bytes(40)).length, "encryption buffers (documented)");
        assertEquals(40 + 10 + 16, c.getOutputSize(10));
        c.init(Cipher.DECRYPT_MODE, k, spec(alg, n));
        assertEquals(0, c.getOutputSize(10));
        assertEquals(0, c.update(new byte[40]).length, "no plaintext before the tag is checked");
        assertEquals(40 - 16 + 10, c.getOutputSize(10));
        // A ciphertext shorter than a tag cannot be authentic.
        c.init(Cipher.DECRYPT_MODE, k, spec(alg, n));
        assertThrows(AEADBadTagException.class, () -> c.doFinal(new byte[15]));
        assertThrows(AEADBadTagException.class, () -> c.doFinal(new byte[0]));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("aeads")
    void aadAfterDataIsRefused(String backend, String alg) throws Exception {
        for (Provider p : new Provider[] {ProviderBackends.provider(backend), SUN}) {
            for (int mode : new int[] {Cipher.ENCRYPT_MODE, Cipher.DECRYPT_MODE}) {
                Cipher c = Cipher.getInstance(alg, p);
                c.init(mode, key(alg), spec(alg, bytes(12)));
                c.updateAAD(bytes(3));
                c.update(bytes(20));
                assertThrows(IllegalStateException.class, () -> c.updateAAD(bytes(3)), p.getName());
                assertThrows(IllegalStateException.class, () -> c.updateAAD(ByteBuffer.allocate(3)), p.getName());
            }
        }
    }

    // ---- tampering ----

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("aeads")
    void everyBitFlipIsABadTag(String backend, String alg) throws Exception {
        Cipher c = Cipher.getInstance(alg, ProviderBackends.provider(backend));
        SecretKey k = key(alg);
        byte[] n = bytes(12);
        byte[] aad = bytes(13);
        byte[] msg = bytes(37);
        byte[] sealed = seal(c, k, spec(alg, n), aad, msg);
        byte[] keyBytes = k.getEncoded();
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] bad = sealed.clone();
            bad[bit >>> 3] ^= (byte) (1 << (bit & 7));
            assertBadTag(c, k, spec(alg, n), aad, bad, "ciphertext/tag bit " + bit);
        }
        for (int bit = 0; bit < aad.length * 8; bit += 3) {
            byte[] badAad = aad.clone();
            badAad[bit >>> 3] ^= (byte) (1 << (bit & 7));
            assertBadTag(c, k, spec(alg, n), badAad, sealed, "AAD bit " + bit);
        }
        for (int bit = 0; bit < 96; bit++) {
            byte[] badNonce = n.clone();
            badNonce[bit >>> 3] ^= (byte) (1 << (bit & 7));
            assertBadTag(c, k, spec(alg, badNonce), aad, sealed, "nonce bit " + bit);
        }
        for (int bit = 0; bit < keyBytes.length * 8; bit += 7) {
            byte[] badKey = keyBytes.clone();
            badKey[bit >>> 3] ^= (byte) (1 << (bit & 7));
            assertBadTag(c, new SecretKeySpec(badKey, k.getAlgorithm()), spec(alg, n), aad, sealed, "key bit " + bit);
        }
        // Missing AAD, extra AAD, truncated tag.
        assertBadTag(c, k, spec(alg, n), new byte[0], sealed, "no AAD");
        assertBadTag(c, k, spec(alg, n), Arrays.copyOf(aad, 14), sealed, "longer AAD");
        assertBadTag(c, k, spec(alg, n), aad, Arrays.copyOf(sealed, sealed.length - 1), "truncated");
        // And after all that, the right input still opens (state reset after each failure).
        c.init(Cipher.DECRYPT_MODE, k, spec(alg, n));
        c.updateAAD(aad);
        assertArrayEquals(msg, c.doFinal(sealed));
    }

    private static void assertBadTag(Cipher c, Key k, AlgorithmParameterSpec s, byte[] aad, byte[] sealed, String what)
            throws Exception {
        c.init(Cipher.DECRYPT_MODE, k, s);
        c.updateAAD(aad);
        byte[] out = new byte[sealed.length];
        Arrays.fill(out, (byte) 0x5a);
        assertThrows(AEADBadTagException.class, () -> c.doFinal(sealed, 0, sealed.length, out, 0), what);
        for (byte b : out) {
            assertTrue(b == 0 || b == 0x5a, what + ": plaintext released");
        }
        // Direct buffers: nothing released either; then a retry with the same init works.
        c.updateAAD(aad);
        ByteBuffer in = ByteBuffer.allocateDirect(sealed.length).put(sealed).flip();
        ByteBuffer o = ByteBuffer.allocateDirect(sealed.length);
        assertThrows(AEADBadTagException.class, () -> c.doFinal(in, o), what + " (direct)");
        for (int i = 0; i < o.capacity(); i++) {
            assertEquals(0, o.get(i), what + ": plaintext released (direct)");
        }
    }

    // ---- nonce reuse ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aesGcmRefusesKeyAndIvReuseLikeSunJce(String backend) throws Exception {
        for (Provider p : new Provider[] {ProviderBackends.provider(backend), SUN}) {
            String who = p.getName();
            byte[] kb = bytes(16);
            SecretKey k = new SecretKeySpec(kb, "AES");
            SecretKey sameBytes = new SecretKeySpec(kb.clone(), "AES");
            GCMParameterSpec s1 = new GCMParameterSpec(128, bytes(12));
            GCMParameterSpec s2 = new GCMParameterSpec(128, bytes(12));
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding", p);
            c.init(Cipher.ENCRYPT_MODE, k, s1);
            c.doFinal(bytes(10));
            // doFinal, update, updateAAD without re-init: IllegalStateException.
            assertThrows(IllegalStateException.class, () -> c.doFinal(bytes(10)), who);
            assertThrows(IllegalStateException.class, () -> c.update(bytes(10)), who);
            assertThrows(IllegalStateException.class, () -> c.updateAAD(bytes(10)), who);
            assertEquals(26, c.getOutputSize(10), who);
            assertEquals(12, c.getIV().length, who);
            // Same key bytes and IV: refused, even through another key object, and even
            // with a decryption in between.
            assertThrows(InvalidAlgorithmParameterException.class, () -> c.init(Cipher.ENCRYPT_MODE, sameBytes, s1), who);
            c.init(Cipher.DECRYPT_MODE, k, s1);
            assertThrows(InvalidAlgorithmParameterException.class, () -> c.init(Cipher.ENCRYPT_MODE, k, s1), who);
            // Different IV, or different key: fine; and back to the first IV after another one.
            c.init(Cipher.ENCRYPT_MODE, k, s2);
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(bytes(16), "AES"), s2);
            c.init(Cipher.ENCRYPT_MODE, k, s1);
            // Re-init without parameters draws a new IV.
            c.doFinal();
            c.init(Cipher.ENCRYPT_MODE, k);
            c.doFinal(bytes(3));
            // Decryption may repeat key and IV, also after success or failure.
            byte[] sealed = seal(Cipher.getInstance("AES/GCM/NoPadding", SUN), k, s2, new byte[0], bytes(20));
            c.init(Cipher.DECRYPT_MODE, k, s2);
            assertEquals(20, c.doFinal(sealed).length, who);
            assertEquals(20, c.doFinal(sealed).length, who);
            c.init(Cipher.DECRYPT_MODE, k, s2);
            assertEquals(20, c.doFinal(sealed).length, who);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void chachaRefusesKeyAndNonceReuse(String backend) throws Exception {
        Cipher c = Cipher.getInstance("ChaCha20-Poly1305", ProviderBackends.provider(backend));
        SecretKey k = key("ChaCha20");
        IvParameterSpec n1 = new IvParameterSpec(bytes(12));
        IvParameterSpec n2 = new IvParameterSpec(bytes(12));
        c.init(Cipher.ENCRYPT_MODE, k, n1);
        byte[] sealed = c.doFinal(bytes(10));
        assertThrows(IllegalStateException.class, () -> c.doFinal(bytes(10)));
        assertThrows(IllegalStateException.class, () -> c.update(bytes(10)));
        assertThrows(InvalidKeyException.class, () -> c.init(Cipher.ENCRYPT_MODE, k, n1));
        assertThrows(InvalidKeyException.class,
                () -> c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k.getEncoded(), "ChaCha20"), n1));
        c.init(Cipher.ENCRYPT_MODE, k, n2);
        c.init(Cipher.ENCRYPT_MODE, k, n1); // the previous init used n2
        // Decryption may repeat (as SunJCE on JDK 25); encryption right after a decryption
        // with the same key and nonce is refused (as SunJCE).
        c.init(Cipher.DECRYPT_MODE, k, n1);
        assertEquals(10, c.doFinal(sealed).length);
        c.init(Cipher.DECRYPT_MODE, k, n1);
        assertEquals(10, c.doFinal(sealed).length);
        assertEquals(10, c.doFinal(sealed).length);
        assertThrows(InvalidKeyException.class, () -> c.init(Cipher.ENCRYPT_MODE, k, n1));
    }

    // ---- short buffers ----

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("aeads")
    void shortBufferKeepsStateForARetry(String backend, String alg) throws Exception {
        Cipher c = Cipher.getInstance(alg, ProviderBackends.provider(backend));
        Cipher ref = Cipher.getInstance(alg, SUN);
        SecretKey k = key(alg);
        byte[] n = bytes(12);
        byte[] aad = bytes(9);
        byte[] msg = bytes(50);
        byte[] expected = seal(ref, k, spec(alg, n), aad, msg);

        c.init(Cipher.ENCRYPT_MODE, k, spec(alg, n));
        c.updateAAD(aad);
        c.update(msg, 0, 20);
        byte[] small = new byte[65];
        assertThrows(ShortBufferException.class, () -> c.doFinal(msg, 20, 30, small, 0));
        assertThrows(ShortBufferException.class, () -> c.doFinal(msg, 20, 30, new byte[100], 40));
        ByteBuffer in = ByteBuffer.wrap(msg, 20, 30);
        ByteBuffer smallDirect = ByteBuffer.allocateDirect(65);
        assertThrows(ShortBufferException.class, () -> c.doFinal(in, smallDirect));
        assertEquals(20, in.position(), "input not consumed");
        assertEquals(0, smallDirect.position());
        byte[] out = new byte[70];
        assertEquals(66, c.doFinal(msg, 20, 30, out, 3));
        assertArrayEquals(expected, Arrays.copyOfRange(out, 3, 69));

        // Decryption, one-shot through direct buffers.
        c.init(Cipher.DECRYPT_MODE, k, spec(alg, n));
        c.updateAAD(aad);
        ByteBuffer ct = ByteBuffer.allocateDirect(expected.length).put(expected).flip();
        ByteBuffer tiny = ByteBuffer.allocateDirect(49);
        assertThrows(ShortBufferException.class, () -> c.doFinal(ct, tiny));
        assertEquals(0, ct.position());
        ByteBuffer pt = ByteBuffer.allocateDirect(50);
        assertEquals(50, c.doFinal(ct, pt));
        assertEquals(expected.length, ct.position());
        byte[] got = new byte[50];
        pt.flip().get(got);
        assertArrayEquals(msg, got);
    }

    // ---- in place ----

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("aeads")
    void inPlaceWithEveryOverlap(String backend, String alg) throws Exception {
        Cipher c = Cipher.getInstance(alg, ProviderBackends.provider(backend));
        Cipher ref = Cipher.getInstance(alg, SUN);
        SecretKey k = key(alg);
        byte[] aad = bytes(4);
        for (int len : new int[] {0, 1, 15, 16, 17, 100, 1000}) {
            byte[] msg = bytes(len);
            for (int shift = -20; shift <= 20; shift++) {
                byte[] n = bytes(12);
                byte[] expected = seal(ref, k, spec(alg, n), aad, msg);
                byte[] buf = new byte[len + 60];
                System.arraycopy(msg, 0, buf, 20, len);
                c.init(Cipher.ENCRYPT_MODE, k, spec(alg, n));
                c.updateAAD(aad);
                assertEquals(len + 16, c.doFinal(buf, 20, len, buf, 20 + shift));
                assertArrayEquals(expected, Arrays.copyOfRange(buf, 20 + shift, 20 + shift + len + 16),
                        "seal len " + len + " shift " + shift);
                // And back, with the ciphertext where the seal left it.
                c.init(Cipher.DECRYPT_MODE, k, spec(alg, n));
                c.updateAAD(aad);
                int back = -shift / 2;
                assertEquals(len, c.doFinal(buf, 20 + shift, len + 16, buf, 20 + shift + back));
                assertArrayEquals(msg, Arrays.copyOfRange(buf, 20 + shift + back, 20 + shift + back + len),
                        "open len " + len + " shift " + shift);
            }
        }
    }

    // ---- key wrapping (AES-GCM) ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void wrapAndUnwrapKeys(String backend) throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding", ProviderBackends.provider(backend));
        SecretKey kek = new SecretKeySpec(bytes(32), "AES");
        GCMParameterSpec s = new GCMParameterSpec(128, bytes(12));
        SecretKey secret = new SecretKeySpec(bytes(32), "HmacSHA256");
        c.init(Cipher.WRAP_MODE, kek, s);
        byte[] wrapped = c.wrap(secret);
        Cipher sun = Cipher.getInstance("AES/GCM/NoPadding", SUN);
        sun.init(Cipher.UNWRAP_MODE, kek, s);
        assertEquals(secret, sun.unwrap(wrapped, "HmacSHA256", Cipher.SECRET_KEY));
        c.init(Cipher.UNWRAP_MODE, kek, s);
        assertEquals(secret, c.unwrap(wrapped, "HmacSHA256", Cipher.SECRET_KEY));
        KeyPair kp = KeyPairGenerator.getInstance("EC").generateKeyPair();
        c.init(Cipher.WRAP_MODE, kek, new GCMParameterSpec(128, bytes(12)));
        byte[] wrappedPub = c.wrap(kp.getPublic());
        c.init(Cipher.UNWRAP_MODE, kek, new GCMParameterSpec(128, c.getIV()));
        PublicKey pub = (PublicKey) c.unwrap(wrappedPub, "EC", Cipher.PUBLIC_KEY);
        assertEquals(kp.getPublic(), pub);
        wrapped[0] ^= 1;
        c.init(Cipher.UNWRAP_MODE, kek, s);
        assertThrows(InvalidKeyException.class, () -> c.unwrap(wrapped, "HmacSHA256", Cipher.SECRET_KEY));
    }

    // ---- the key is kept while it is re-used, replaced otherwise ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void keyChangesTakeEffect(String backend) throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding", ProviderBackends.provider(backend));
        Cipher ref = Cipher.getInstance("AES/GCM/NoPadding", SUN);
        byte[] kb = bytes(16);
        for (int i = 0; i < 50; i++) {
            if (i % 3 == 0) {
                kb = bytes(i % 2 == 0 ? 16 : 32);
            } else if (i % 3 == 1) {
                kb[i % kb.length] ^= 1; // one bit differs: must not be mistaken for the cached key
            }
            SecretKey k = new SecretKeySpec(kb, "AES");
            GCMParameterSpec s = new GCMParameterSpec(128, bytes(12));
            byte[] msg = bytes(i);
            assertArrayEquals(seal(ref, k, s, new byte[0], msg), seal(c, k, s, new byte[0], msg), "round " + i);
        }
        assertFalse(c.toString().matches(".*[0-9a-fA-F]{32}.*"), c.toString());
    }

    // ---- HMAC ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void hmacSemantics(String backend) throws Exception {
        Provider p = ProviderBackends.provider(backend);
        for (String alg : new String[] {"HmacSHA256", "HmacSHA384"}) {
            Mac m = Mac.getInstance(alg, p);
            Mac ref = Mac.getInstance(alg, SUN);
            assertThrows(IllegalStateException.class, () -> m.update((byte) 1));
            for (int keyLen : new int[] {0, 1, 32, 63, 64, 65, 127, 128, 129, 1000}) {
                SecretKey k = new RawKey(alg, bytes(keyLen));
                ref.init(k);
                m.init(k);
                byte[] msg = bytes(77);
                byte[] expected = ref.doFinal(msg);
                m.update(bytes(5));
                m.reset(); // keeps the key
                assertArrayEquals(expected, m.doFinal(msg), alg + " key " + keyLen);
                byte[] out = new byte[m.getMacLength() + 4];
                m.update(msg);
                m.doFinal(out, 4);
                assertArrayEquals(expected, Arrays.copyOfRange(out, 4, out.length));
            }
            assertEquals(alg.endsWith("256") ? 32 : 48, m.getMacLength());
            assertThrows(InvalidKeyException.class, () -> m.init(null));
            assertThrows(InvalidAlgorithmParameterException.class,
                    () -> m.init(new SecretKeySpec(bytes(3), alg), new IvParameterSpec(bytes(16))));
            assertThrows(InvalidKeyException.class, () -> m.init(KeyPairGenerator.getInstance("EC")
                    .generateKeyPair().getPrivate()));
            m.init(new SecretKeySpec(bytes(3), alg));
            assertThrows(CloneNotSupportedException.class, m::clone);
        }
    }

    /**
     * The pure-Java backend computes HMAC with the JDK's javax.crypto.Mac by name: with this
     * provider preferred over SunJCE, that lookup must not come back here forever.
     */
    @Test
    void preferredOverSunJce() throws Exception {
        Provider installed = Security.getProvider("TlsAccel");
        int position = -1;
        Provider[] all = Security.getProviders();
        for (int i = 0; i < all.length; i++) {
            if (all[i] == installed) {
                position = i + 1;
            }
        }
        Security.removeProvider("TlsAccel");
        try {
            Security.insertProviderAt(ProviderBackends.provider("java"), 1);
            Mac m = Mac.getInstance("HmacSHA256");
            SecretKey k = new SecretKeySpec(bytes(32), "HmacSHA256");
            m.init(k);
            assertEquals("TlsAccel", m.getProvider().getName());
            byte[] msg = bytes(100);
            Mac ref = Mac.getInstance("HmacSHA256", SUN);
            ref.init(k);
            assertArrayEquals(ref.doFinal(msg), m.doFinal(msg));
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(bytes(16), "AES"), new GCMParameterSpec(128, bytes(12)));
            assertEquals("TlsAccel", c.getProvider().getName());
            // What the engine lacks (AES-192, short tags) falls through to the next provider.
            Cipher c192 = Cipher.getInstance("AES/GCM/NoPadding");
            c192.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(bytes(24), "AES"), new GCMParameterSpec(128, bytes(12)));
            assertEquals("SunJCE", c192.getProvider().getName());
            Cipher c96 = Cipher.getInstance("AES/GCM/NoPadding");
            c96.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(bytes(16), "AES"), new GCMParameterSpec(96, bytes(12)));
            assertEquals("SunJCE", c96.getProvider().getName());
        } finally {
            Security.removeProvider("TlsAccel");
            if (installed != null) {
                Security.insertProviderAt(installed, position);
            }
        }
    }
}
