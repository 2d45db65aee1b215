package io.tlsaccel.tls.handshake;

import io.tlsaccel.testutil.Hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsaccel.testutil.Wycheproof;
import io.tlsaccel.tls.handshake.RsaPremasterSecret;
import io.tlsaccel.tls.handshake.Tls12Prf;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RSA key transport (RFC 5246 7.4.7.1): round trip, Wycheproof RSAES-PKCS1-v1_5 vectors on the
 * decryption path, and hand-made malformed encodings that must all look like a wrong key.
 */
class RsaPremasterSecretTest {
    static final int TLS12 = 0x0303;
    static final SecureRandom RANDOM = new SecureRandom();
    static KeyPair keys;
    static KeyPair otherKeys;

    @BeforeAll
    static void makeKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, RANDOM);
        keys = g.generateKeyPair();
        otherKeys = g.generateKeyPair();
    }

    @Test
    void roundTrip() throws Exception {
        for (int i = 0; i < 5; i++) {
            RsaPremasterSecret.Encrypted e = RsaPremasterSecret.encrypt(keys.getPublic(), TLS12, RANDOM);
            byte[] pms = e.preMasterSecret().copy();
            assertEquals(48, pms.length);
            assertEquals(3, pms[0]);
            assertEquals(3, pms[1]);
            assertEquals(256, e.encryptedPreMasterSecret().length);
            Tls12Prf.Secret got = RsaPremasterSecret.decrypt(keys.getPrivate(), e.encryptedPreMasterSecret(), TLS12,
                    RANDOM);
            assertArrayEquals(pms, got.bytes());
            assertFalse(got.toString().contains(Hex.encode(pms).substring(0, 8)));
        }
    }

    @Test
    void clientSideIsStandardPkcs1() throws Exception {
        RsaPremasterSecret.Encrypted e = RsaPremasterSecret.encrypt(keys.getPublic(), 0x0303, RANDOM);
        Cipher jdk = Cipher.getInstance("RSA/ECB/PKCS1Padding");
        jdk.init(Cipher.DECRYPT_MODE, keys.getPrivate());
        assertArrayEquals(e.preMasterSecret().bytes(), jdk.doFinal(e.encryptedPreMasterSecret()));
    }

    // ---- Wycheproof rsa_pkcs1_2048_test.json -------------------------------------------------

    /** One case of the RsaesPkcs1Decrypt schema. */
    record Pkcs1Case(int tcId, PrivateKey key, byte[] msg, byte[] ct, String result, List<String> flags) {
    }

    /** This file's schema: testGroups[] with privateKeyPkcs8, tests[] with msg/ct/result/flags. */
    static List<Pkcs1Case> wycheproofCases() throws Exception {
        JsonNode root = Wycheproof.file("rsa_pkcs1_2048_test.json");
        assertEquals("RSAES-PKCS1-v1_5", root.get("algorithm").asText());
        HexFormat hex = HexFormat.of();
        KeyFactory kf = KeyFactory.getInstance("RSA");
        List<Pkcs1Case> out = new ArrayList<>();
        for (JsonNode group : root.get("testGroups")) {
            PrivateKey key = kf.generatePrivate(new PKCS8EncodedKeySpec(
                    hex.parseHex(group.get("privateKeyPkcs8").asText())));
            for (JsonNode t : group.get("tests")) {
                List<String> flags = new ArrayList<>();
                t.path("flags").forEach(f -> flags.add(f.asText()));
                out.add(new Pkcs1Case(t.get("tcId").asInt(), key, hex.parseHex(t.get("msg").asText()),
                        hex.parseHex(t.get("ct").asText()), t.get("result").asText(), flags));
            }
        }
        assertEquals(root.get("numberOfTests").asInt(), out.size());
        return out;
    }

    @Test
    void wycheproofFixedLengthDecryption() throws Exception {
        int valid = 0;
        int invalid = 0;
        for (Pkcs1Case c : wycheproofCases()) {
            byte[] fallback = new byte[c.msg().length];
            RANDOM.nextBytes(fallback);
            byte[] got = RsaPremasterSecret.decryptFixedLength(c.key(), c.ct(), fallback);
            if (c.result().equals("valid")) {
                assertArrayEquals(c.msg(), got, "tcId " + c.tcId());
                valid++;
            } else {
                // Every invalid case is answered with the fallback, whatever went wrong.
                assertArrayEquals(fallback, got, "tcId " + c.tcId() + " " + c.flags());
                invalid++;
            }
        }
        assertTrue(valid > 30 && invalid > 20, valid + " valid, " + invalid + " invalid");
    }

    @Test
    void wycheproofTlsDecryption() throws Exception {
        for (Pkcs1Case c : wycheproofCases()) {
            boolean real = c.result().equals("valid") && c.msg().length == 48
                    && (c.msg()[0] & 0xff) == 3 && (c.msg()[1] & 0xff) == 3;
            byte[] a = RsaPremasterSecret.decrypt(c.key(), c.ct(), TLS12, RANDOM).bytes();
            byte[] b = RsaPremasterSecret.decrypt(c.key(), c.ct(), TLS12, RANDOM).bytes();
            assertEquals(48, a.length, "tcId " + c.tcId());
            if (real) {
                assertArrayEquals(c.msg(), a);
                assertArrayEquals(c.msg(), b);
            } else {
                // No 48-byte 3,3 message in this case: the outcome must be that of a wrong key.
                assertLooksRandom(a, b, c.msg(), "tcId " + c.tcId());
            }
        }
    }

    @Test
    void wycheproofKeyWithOur48ByteMessages() throws Exception {
        // The file has no 48-byte messages, so make some under its first key.
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) wycheproofCases().get(0).key();
        PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(
                new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
        RsaPremasterSecret.Encrypted e = RsaPremasterSecret.encrypt(pub, TLS12, RANDOM);
        assertArrayEquals(e.preMasterSecret().bytes(),
                RsaPremasterSecret.decrypt(key, e.encryptedPreMasterSecret(), TLS12, RANDOM).bytes());
    }

    // ---- malformed encodings look exactly like a wrong key ------------------------------------

    /** A well-formed EM = 0x00 0x02 PS 0x00 M for a 48-byte M starting 3,3. */
    static byte[] goodEncoding(int k, byte[] m) {
        byte[] em = new byte[k];
        em[1] = 2;
        int sep = k - m.length - 1;
        for (int i = 2; i < sep; i++) {
            em[i] = (byte) (1 + RANDOM.nextInt(255));
        }
        System.arraycopy(m, 0, em, sep + 1, m.length);
        return em;
    }

    /** Raw RSA (m^e mod n) of a chosen encoding, so any defect can be planted. */
    static byte[] rawEncrypt(PublicKey key, byte[] em) throws Exception {
        Cipher raw = Cipher.getInstance("RSA/ECB/NoPadding");
        raw.init(Cipher.ENCRYPT_MODE, key);
        return raw.doFinal(em);
    }

    static byte[] message() {
        byte[] m = new byte[48];
        RANDOM.nextBytes(m);
        m[0] = 3;
        m[1] = 3;
        return m;
    }

    @Test
    void everyMalformedEncodingLooksLikeAWrongKey() throws Exception {
        RSAPublicKey pub = (RSAPublicKey) keys.getPublic();
        int k = 256;
        byte[] m = message();
        int sep = k - 48 - 1;

        byte[] good = goodEncoding(k, m);
        assertArrayEquals(m, RsaPremasterSecret.decrypt(keys.getPrivate(), rawEncrypt(pub, good), TLS12, RANDOM)
                .bytes(), "the well-formed baseline must decrypt");

        Map<String, byte[]> ciphertexts = new LinkedHashMap<>();
        byte[] em;
        em = good.clone();
        em[0] = 1;
        ciphertexts.put("first byte not zero", rawEncrypt(pub, em));
        em = good.clone();
        em[1] = 1;
        ciphertexts.put("block type 1", rawEncrypt(pub, em));
        em = good.clone();
        em[1] = 0;
        ciphertexts.put("block type 0", rawEncrypt(pub, em));
        em = good.clone();
        em[1] = 3;
        ciphertexts.put("block type 3", rawEncrypt(pub, em));
        em = good.clone();
        em[9] = 0;
        ciphertexts.put("zero inside the first 8 padding bytes", rawEncrypt(pub, em));
        em = good.clone();
        em[2] = 0;
        ciphertexts.put("zero right after the block type", rawEncrypt(pub, em));
        em = good.clone();
        em[sep - 1] = 0;
        ciphertexts.put("separator one byte early (49-byte message)", rawEncrypt(pub, em));
        em = good.clone();
        em[sep] = 0x42;
        em[sep + 1] = 0;
        ciphertexts.put("separator one byte late (47-byte message)", rawEncrypt(pub, em));
        em = good.clone();
        em[sep] = 0x42;
        ciphertexts.put("no separator at all", rawEncrypt(pub, em));
        em = goodEncoding(k, Arrays.copyOf(m, 47));
        ciphertexts.put("47-byte message", rawEncrypt(pub, em));
        em = goodEncoding(k, Arrays.copyOf(m, 49));
        ciphertexts.put("49-byte message", rawEncrypt(pub, em));
        em = new byte[k];
        em[1] = 2;
        System.arraycopy(m, 0, em, k - 48, 48);
        Arrays.fill(em, 2, k - 49, (byte) 0);
        ciphertexts.put("all-zero padding", rawEncrypt(pub, em));
        em = good.clone();
        em[sep + 1] = 3;
        em[sep + 2] = 1;
        ciphertexts.put("version 3,1 (TLS 1.0) in the pre-master", rawEncrypt(pub, em));
        em = good.clone();
        em[sep + 1] = 2;
        ciphertexts.put("major version 2", rawEncrypt(pub, em));
        em = good.clone();
        em[sep + 1] = 3;
        em[sep + 2] = 4;
        ciphertexts.put("version 3,4 in the pre-master", rawEncrypt(pub, em));
        ciphertexts.put("a valid encoding with a 1-byte message", rawEncrypt(pub, goodEncoding(k, new byte[] {7})));
        ciphertexts.put("empty ciphertext", new byte[0]);
        ciphertexts.put("ciphertext one byte short", Arrays.copyOf(rawEncrypt(pub, good), k - 1));
        byte[] longer = new byte[k + 1];
        System.arraycopy(rawEncrypt(pub, good), 0, longer, 1, k);
        ciphertexts.put("ciphertext with a leading zero byte", longer);
        ciphertexts.put("ciphertext equal to the modulus", toFixed(pub.getModulus(), k));
        ciphertexts.put("ciphertext all ones", filled(k, 0xff));
        ciphertexts.put("ciphertext zero", new byte[k]);

        // The reference: a well-formed pre-master secret encrypted under a different key.
        RsaPremasterSecret.Encrypted other = RsaPremasterSecret.encrypt(otherKeys.getPublic(), TLS12, RANDOM);
        ciphertexts.put("different key (reference)", other.encryptedPreMasterSecret());

        for (Map.Entry<String, byte[]> c : ciphertexts.entrySet()) {
            // Same observable outcome for all: no exception, 48 bytes, fresh randomness each call.
            byte[] a = RsaPremasterSecret.decrypt(keys.getPrivate(), c.getValue(), TLS12, RANDOM).bytes();
            byte[] b = RsaPremasterSecret.decrypt(keys.getPrivate(), c.getValue(), TLS12, RANDOM).bytes();
            assertLooksRandom(a, b, m, c.getKey());
        }
    }

    @Test
    void versionCheckUsesTheClientHelloVersion() throws Exception {
        // A client that offered TLS 1.2 but put 3,3 in the pre-master, checked against a server
        // that believes the client offered 3,2 (a rollback): random fallback.
        RsaPremasterSecret.Encrypted e = RsaPremasterSecret.encrypt(keys.getPublic(), 0x0303, RANDOM);
        byte[] a = RsaPremasterSecret.decrypt(keys.getPrivate(), e.encryptedPreMasterSecret(), 0x0302, RANDOM).bytes();
        byte[] b = RsaPremasterSecret.decrypt(keys.getPrivate(), e.encryptedPreMasterSecret(), 0x0302, RANDOM).bytes();
        assertLooksRandom(a, b, e.preMasterSecret().bytes(), "version rollback");
    }

    static void assertLooksRandom(byte[] a, byte[] b, byte[] notThis, String what) {
        assertEquals(48, a.length, what);
        assertEquals(48, b.length, what);
        assertFalse(Arrays.equals(a, b), what + ": two decryptions gave the same secret");
        assertFalse(Arrays.equals(a, notThis), what + ": leaked the embedded message");
        if (notThis.length >= 48) {
            assertFalse(Arrays.equals(Arrays.copyOfRange(a, 2, 48), Arrays.copyOfRange(notThis, 2, 48)),
                    what + ": leaked the embedded message's random part");
        }
    }

    static byte[] toFixed(BigInteger v, int k) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[k];
        int n = Math.min(k, b.length);
        System.arraycopy(b, b.length - n, out, k - n, n);
        return out;
    }

    static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }
}
