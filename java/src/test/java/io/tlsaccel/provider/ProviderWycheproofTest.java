package io.tlsaccel.provider;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tlsaccel.crypto.RawKey;
import io.tlsaccel.testutil.Wycheproof;
import io.tlsaccel.testutil.Wycheproof.AeadCase;
import io.tlsaccel.testutil.Wycheproof.MacCase;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Provider;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Wycheproof vectors through Cipher/Mac.getInstance(..., TlsAccel), once per backend. */
class ProviderWycheproofTest {

    static List<String> backends() {
        return ProviderBackends.names().toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aesGcm(String backend) throws Exception {
        Provider p = ProviderBackends.provider(backend);
        List<AeadCase> cases = Wycheproof.aeadCases("aes_gcm_test.json");
        int run = 0;
        int refused = 0;
        for (AeadCase t : cases) {
            SecretKey key = new SecretKeySpec(t.key(), "AES");
            boolean supported = (t.key().length == 16 || t.key().length == 32)
                    && t.iv().length == 12 && t.tag().length == 16;
            if (!supported) {
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding", p);
                GCMParameterSpec spec = new GCMParameterSpec(t.tag().length * 8, t.iv());
                GeneralSecurityException e = assertThrows(GeneralSecurityException.class,
                        () -> c.init(Cipher.DECRYPT_MODE, key, spec), "tcId " + t.tcId());
                assertTrue(e instanceof InvalidKeyException || e instanceof InvalidAlgorithmParameterException,
                        "tcId " + t.tcId() + ": " + e);
                refused++;
                continue;
            }
            aeadCase(p, "AES/GCM/NoPadding", key, new GCMParameterSpec(128, t.iv()), t);
            run++;
        }
        assertTrue(run > 100, "only " + run + " AES-GCM cases ran");
        System.out.println("Wycheproof AES-GCM via provider/" + backend + ": " + run + " cases, "
                + refused + " unsupported parameter sets refused");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void chacha20Poly1305(String backend) throws Exception {
        Provider p = ProviderBackends.provider(backend);
        int run = 0;
        for (AeadCase t : Wycheproof.aeadCases("chacha20_poly1305_test.json")) {
            SecretKey key = new SecretKeySpec(t.key(), "ChaCha20");
            if (t.iv().length != 12 || t.key().length != 32) {
                Cipher c = Cipher.getInstance("ChaCha20-Poly1305", p);
                assertThrows(GeneralSecurityException.class,
                        () -> c.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(t.iv())), "tcId " + t.tcId());
                continue;
            }
            aeadCase(p, "ChaCha20-Poly1305", key, new IvParameterSpec(t.iv()), t);
            run++;
        }
        assertTrue(run > 100, "only " + run + " ChaCha20-Poly1305 cases ran");
    }

    private static void aeadCase(Provider p, String alg, SecretKey key, AlgorithmParameterSpec spec, AeadCase t)
            throws Exception {
        String id = alg + " tcId " + t.tcId() + " " + t.flags();
        byte[] sealed = concat(t.ct(), t.tag());
        Cipher dec = Cipher.getInstance(alg, p);
        dec.init(Cipher.DECRYPT_MODE, key, spec);
        dec.updateAAD(t.aad());
        byte[] opened;
        try {
            opened = dec.doFinal(sealed);
        } catch (AEADBadTagException e) {
            opened = null;
        }
        // The same through a direct buffer.
        dec.init(Cipher.DECRYPT_MODE, key, spec);
        dec.updateAAD(ByteBuffer.wrap(t.aad()));
        ByteBuffer in = ByteBuffer.allocateDirect(sealed.length).put(sealed).flip();
        ByteBuffer out = ByteBuffer.allocateDirect(Math.max(0, sealed.length - 16));
        boolean directOk;
        try {
            dec.doFinal(in, out);
            directOk = true;
        } catch (AEADBadTagException e) {
            directOk = false;
        }
        assertEquals(opened != null, directOk, id + ": direct and array decryption disagree");

        switch (t.result()) {
            case "valid": {
                if (opened == null) {
                    fail(id + ": valid case rejected");
                }
                assertArrayEquals(t.msg(), opened, id);
                byte[] direct = new byte[out.flip().remaining()];
                out.get(direct);
                assertArrayEquals(t.msg(), direct, id + " (direct)");
                Cipher enc = Cipher.getInstance(alg, p);
                enc.init(Cipher.ENCRYPT_MODE, key, spec);
                enc.updateAAD(t.aad());
                assertArrayEquals(sealed, enc.doFinal(t.msg()), id + " (seal)");
                break;
            }
            case "invalid":
                if (opened != null) {
                    fail(id + ": invalid case accepted");
                }
                break;
            default: // acceptable: either way, but a success must give the message
                if (opened != null) {
                    assertArrayEquals(t.msg(), opened, id);
                }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void hmacSha256(String backend) throws Exception {
        hmac(backend, "HmacSHA256", "hmac_sha256_test.json", 32);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void hmacSha384(String backend) throws Exception {
        hmac(backend, "HmacSHA384", "hmac_sha384_test.json", 48);
    }

    private static void hmac(String backend, String alg, String file, int fullLen) throws Exception {
        Provider p = ProviderBackends.provider(backend);
        Mac mac = Mac.getInstance(alg, p);
        int full = 0;
        int truncated = 0;
        for (MacCase t : Wycheproof.macCases(file)) {
            String id = alg + " tcId " + t.tcId();
            mac.init(new RawKey(alg, t.key())); // SecretKeySpec refuses the empty keys HMAC allows
            byte[] got = mac.doFinal(t.msg());
            assertEquals(fullLen, got.length);
            int n = t.tagSize() / 8;
            boolean match = t.tag().length == n && n <= fullLen
                    && Arrays.equals(Arrays.copyOf(got, n), t.tag());
            if (n == fullLen) {
                full++;
            } else {
                truncated++;
            }
            if ("valid".equals(t.result())) {
                assertTrue(match, id + ": valid tag not reproduced");
            } else if ("invalid".equals(t.result())) {
                assertTrue(!match, id + ": invalid tag reproduced");
            }
        }
        assertTrue(full > 10 && truncated > 10, "full " + full + ", truncated " + truncated);
    }


    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
