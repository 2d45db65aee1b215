package io.tlsaccel.tls.handshake;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAKey;
import java.util.Arrays;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;

/**
 * RSA key transport of the TLS 1.2 pre-master secret (RFC 5246 7.4.7.1).
 *
 * <p>Server side, {@link #decrypt}: the Bleichenbacher defence. The server must not reveal,
 * by alert, exception, timing or anything else, whether the PKCS#1 v1.5 padding or the
 * version bytes were right. So 48 random bytes are drawn first, the ciphertext is decrypted
 * with raw RSA (no padding check by the provider), the encoding
 * {@code 0x00 0x02 PS(>= 8 non-zero bytes) 0x00 M(48 bytes)} and the client_version at the
 * start of M are checked without branches, and a constant-time mask picks M or the random
 * bytes. A bad ciphertext thus gives a pre-master secret the client does not know, and the
 * handshake fails later at Finished (decrypt_error / bad_record_mac), exactly as with a
 * client that used the wrong key.
 *
 * <p>RFC 5246 lets a server put ClientHello.client_version over M's first two bytes
 * instead of checking them; like BoringSSL we check them and fall back to the random bytes
 * on mismatch, which also defeats a version rollback and gives the same observable outcome.
 *
 * <p>Limits: the modular exponentiation is the provider's (the JDK's RSA uses blinding, but
 * its BigInteger arithmetic is not constant time); and the JIT may in principle turn the
 * masking code into branches. Both are the usual state of the art for a Java TLS stack.
 */
public final class RsaPremasterSecret {

    /** RFC 5246 7.4.7.1: PreMasterSecret is client_version (2 bytes) plus 46 random bytes. */
    public static final int LENGTH = 48;
    /** RFC 8017 7.2.2: the padding string PS is at least 8 bytes. */
    private static final int MIN_PADDING = 8;

    private RsaPremasterSecret() {
    }

    /** The client's result: the pre-master secret and EncryptedPreMasterSecret's body. */
    public record Encrypted(Tls12Prf.Secret preMasterSecret, byte[] encryptedPreMasterSecret) {
        @Override
        public String toString() {
            return "Encrypted[" + encryptedPreMasterSecret.length + " bytes]";
        }
    }

    /**
     * Client side (RFC 5246 7.4.7.1): a fresh pre-master secret whose first two bytes are the
     * version offered in ClientHello (not the negotiated one), encrypted with RSAES-PKCS1-v1_5
     * under the server certificate's key.
     *
     * @param clientVersion ClientHello.client_version, e.g. 0x0303
     */
    public static Encrypted encrypt(PublicKey serverKey, int clientVersion, SecureRandom random)
            throws InvalidKeyException {
        checkVersion(clientVersion);
        byte[] pms = new byte[LENGTH];
        random.nextBytes(pms);
        pms[0] = (byte) (clientVersion >>> 8);
        pms[1] = (byte) clientVersion;
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
            rsa.init(Cipher.ENCRYPT_MODE, serverKey, random);
            byte[] ct = rsa.doFinal(pms);
            return new Encrypted(new Tls12Prf.Secret(pms), ct);
        } catch (InvalidKeyException e) {
            Arrays.fill(pms, (byte) 0);
            throw e;
        } catch (GeneralSecurityException e) {
            Arrays.fill(pms, (byte) 0);
            throw new ProviderException("RSA PKCS#1 v1.5 encryption unavailable", e);
        }
    }

    /**
     * Server side (RFC 5246 7.4.7.1): the pre-master secret from EncryptedPreMasterSecret,
     * or 48 random bytes when anything about it is wrong (ciphertext length or range, padding,
     * message length, version). Never throws for a bad ciphertext and never says which case
     * happened; throws only for a key the RSA provider cannot use (a local configuration
     * error).
     *
     * @param encrypted     the body of EncryptedPreMasterSecret (its u16 length removed)
     * @param clientVersion ClientHello.client_version as the client sent it
     */
    public static Tls12Prf.Secret decrypt(PrivateKey serverKey, byte[] encrypted, int clientVersion,
                                          SecureRandom random) throws InvalidKeyException {
        checkVersion(clientVersion);
        // Step 1: the random fallback comes first, so its cost does not depend on the outcome.
        byte[] fallback = new byte[LENGTH];
        random.nextBytes(fallback);
        try {
            return new Tls12Prf.Secret(decryptOrFallback(serverKey, encrypted, fallback, clientVersion));
        } finally {
            Arrays.fill(fallback, (byte) 0);
        }
    }

    /**
     * RSAES-PKCS1-v1_5 decryption with implicit rejection for a message of known length: the
     * message if the ciphertext decrypts to a correct encoding of exactly
     * {@code fallback.length} bytes, else a copy of {@code fallback}; in constant time with
     * respect to the decrypted bytes. (The TLS form, {@link #decrypt}, adds the version check.)
     */
    public static byte[] decryptFixedLength(PrivateKey key, byte[] ciphertext, byte[] fallback)
            throws InvalidKeyException {
        return decryptOrFallback(key, ciphertext, fallback, -1);
    }

    private static byte[] decryptOrFallback(PrivateKey key, byte[] ct, byte[] fallback, int version)
            throws InvalidKeyException {
        if (!(key instanceof RSAKey)) {
            throw new InvalidKeyException("not an RSA key: " + key.getAlgorithm());
        }
        int k = (((RSAKey) key).getModulus().bitLength() + 7) / 8;
        byte[] result = fallback.clone();
        // RFC 8017 7.2.2 step 1: the ciphertext must be exactly k bytes. Its length is public
        // (it is on the wire), so this branch reveals nothing about the plaintext.
        if (ct.length != k) {
            return result;
        }
        byte[] em;
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/NoPadding");
            rsa.init(Cipher.DECRYPT_MODE, key);
            em = rsa.doFinal(ct);
        } catch (BadPaddingException | IllegalBlockSizeException e) {
            // Raw RSA has no padding to check: this is the ciphertext being >= the modulus,
            // again a property of the public ciphertext only.
            return result;
        } catch (InvalidKeyException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new ProviderException("raw RSA decryption unavailable", e);
        }
        if (em.length != k) {
            // The JDK returns k bytes; a provider that strips leading zeros gets them back.
            byte[] full = new byte[k];
            System.arraycopy(em, 0, full, k - Math.min(k, em.length), Math.min(k, em.length));
            Arrays.fill(em, (byte) 0);
            em = full;
        }
        int msgLen = fallback.length;
        int good = encodingMask(em, msgLen);
        if (version >= 0 && msgLen >= 2) {
            int at = k - msgLen;
            good &= equalMask(em[at] & 0xff, version >>> 8) & equalMask(em[at + 1] & 0xff, version & 0xff);
        }
        // Select M or the fallback byte by byte with the mask: no branch on 'good'.
        int from = Math.max(0, k - msgLen);
        for (int i = 0; i < msgLen && from + i < k; i++) {
            result[i] = (byte) ((em[from + i] & good) | (fallback[i] & ~good));
        }
        Arrays.fill(em, (byte) 0);
        return result;
    }

    /**
     * All ones when {@code em} is {@code 0x00 0x02 PS 0x00 M} with |M| = msgLen and PS of
     * non-zero bytes, else zero (RFC 8017 7.2.2 step 3). Because |M| is fixed, the separator
     * has one possible place and every byte is looked at whatever the content.
     */
    static int encodingMask(byte[] em, int msgLen) {
        int k = em.length;
        int separator = k - msgLen - 1;
        // Depends on k and msgLen only (both public): no room for 8 bytes of PS.
        if (separator < 2 + MIN_PADDING) {
            return 0;
        }
        int good = zeroMask(em[0] & 0xff) & equalMask(em[1] & 0xff, 2) & zeroMask(em[separator] & 0xff);
        for (int i = 2; i < separator; i++) {
            good &= ~zeroMask(em[i] & 0xff);
        }
        return good;
    }

    /** -1 if x == 0 else 0, for 0 <= x < 2^31, without a branch. */
    private static int zeroMask(int x) {
        return ((x | -x) >>> 31) - 1;
    }

    private static int equalMask(int a, int b) {
        return zeroMask(a ^ b);
    }

    private static void checkVersion(int version) {
        if ((version & ~0xffff) != 0) {
            throw new IllegalArgumentException("client_version is 2 bytes");
        }
    }
}
