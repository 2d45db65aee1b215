package io.tlsaccel.tls.handshake;

import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.RawKey;
import io.tlsaccel.tls.record.PrfHash;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.security.auth.Destroyable;

/**
 * The TLS 1.2 pseudorandom function and everything derived from it (RFC 5246 section 5):
 * the master secret (8.1), the extended master secret (RFC 7627 section 4), the key block
 * (6.3) and Finished verify_data (7.4.9).
 *
 * <p>TLS 1.2 has one PRF per cipher suite: P_SHA256 for the suites that do not say otherwise
 * and P_SHA384 for the *_SHA384 suites (RFC 5289 section 3). An instance is immutable and may
 * be shared; each call makes its own {@link Mac}.
 */
public final class Tls12Prf {

    /** RFC 5246 8.1: the master secret is always 48 bytes. */
    public static final int MASTER_SECRET_LENGTH = 48;
    /** RFC 5246 7.4.9: verify_data_length defaults to 12 for every suite we implement. */
    public static final int VERIFY_DATA_LENGTH = 12;
    /** RFC 5246 7.4.1.2: ClientHello.random and ServerHello.random are 32 bytes. */
    public static final int RANDOM_LENGTH = 32;

    private static final byte[] MASTER_SECRET = ascii("master secret");
    private static final byte[] EXTENDED_MASTER_SECRET = ascii("extended master secret");
    private static final byte[] KEY_EXPANSION = ascii("key expansion");
    private static final byte[] CLIENT_FINISHED = ascii("client finished");
    private static final byte[] SERVER_FINISHED = ascii("server finished");

    private final PrfHash hash;

    /** One per handshake: it keeps one HMAC instance, so it is not for concurrent use. */
    public Tls12Prf(PrfHash hash) {
        this.hash = hash;
    }

    public PrfHash hash() {
        return hash;
    }

    /**
     * PRF(secret, label, seed) = P_hash(secret, label + seed), RFC 5246 section 5:
     * <pre>
     *   A(0) = seed',  A(i) = HMAC_hash(secret, A(i-1))
     *   P_hash(secret, seed') = HMAC_hash(secret, A(1) + seed') + HMAC_hash(secret, A(2) + seed') + ...
     * </pre>
     * truncated to {@code length} bytes.
     */
    public byte[] prf(byte[] secret, byte[] label, byte[] seed, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative PRF output length");
        }
        byte[] out = new byte[length];
        Mac mac = newMac(secret);
        int hLen = hash.length();
        byte[] a = new byte[hLen];
        byte[] block = new byte[hLen];
        try {
            // A(1) = HMAC(secret, label + seed)
            mac.update(label);
            mac.update(seed);
            mac.doFinal(a, 0);
            for (int done = 0; done < length; done += hLen) {
                mac.update(a);
                mac.update(label);
                mac.update(seed);
                mac.doFinal(block, 0);
                System.arraycopy(block, 0, out, done, Math.min(hLen, length - done));
                if (done + hLen < length) {
                    // A(i+1) = HMAC(secret, A(i))
                    mac.update(a);
                    mac.doFinal(a, 0);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(hash.macName() + " failed", e);
        } finally {
            Arrays.fill(a, (byte) 0);
            Arrays.fill(block, (byte) 0);
            mac.reset();
        }
        return out;
    }

    /** PRF with an ASCII label, as the RFCs write it. */
    public byte[] prf(byte[] secret, String label, byte[] seed, int length) {
        return prf(secret, ascii(label), seed, length);
    }

    /**
     * RFC 5246 8.1: master_secret = PRF(pre_master_secret, "master secret",
     * ClientHello.random + ServerHello.random)[0..47]. Used only when extended_master_secret
     * was not negotiated; the pre-master array is left to the caller to wipe.
     */
    public Secret masterSecret(byte[] preMasterSecret, byte[] clientRandom, byte[] serverRandom) {
        return new Secret(prf(preMasterSecret, MASTER_SECRET, concat(checkRandom(clientRandom),
                checkRandom(serverRandom)), MASTER_SECRET_LENGTH));
    }

    /**
     * RFC 7627 section 4: master_secret = PRF(pre_master_secret, "extended master secret",
     * session_hash)[0..47], where session_hash is the hash of the handshake messages up to and
     * including ClientKeyExchange (section 3), computed with this PRF's hash.
     */
    public Secret extendedMasterSecret(byte[] preMasterSecret, byte[] sessionHash) {
        if (sessionHash.length != hash.length()) {
            throw new IllegalArgumentException("session_hash must be " + hash.length() + " bytes, not "
                    + sessionHash.length);
        }
        return new Secret(prf(preMasterSecret, EXTENDED_MASTER_SECRET, sessionHash, MASTER_SECRET_LENGTH));
    }

    /**
     * RFC 5246 6.3: key_block = PRF(master_secret, "key expansion", server_random + client_random),
     * cut into client_write_MAC_key, server_write_MAC_key, client_write_key, server_write_key,
     * client_write_IV, server_write_IV in that order. The AEAD suites have no MAC keys
     * (mac_key_length 0); the IV is the 4-byte implicit salt for AES-GCM (RFC 5288 section 3) and
     * the 12-byte IV for ChaCha20-Poly1305 (RFC 7905 section 2).
     */
    public KeyBlock keyBlock(Secret masterSecret, byte[] clientRandom, byte[] serverRandom, AeadAlgorithm aead) {
        int keyLength = aead.keyLength();
        int ivLength = fixedIvLength(aead);
        byte[] seed = concat(checkRandom(serverRandom), checkRandom(clientRandom));
        byte[] block = prf(masterSecret.bytes(), KEY_EXPANSION, seed, 2 * keyLength + 2 * ivLength);
        try {
            int at = 0;
            byte[] clientKey = Arrays.copyOfRange(block, at, at += keyLength);
            byte[] serverKey = Arrays.copyOfRange(block, at, at += keyLength);
            byte[] clientIv = Arrays.copyOfRange(block, at, at += ivLength);
            byte[] serverIv = Arrays.copyOfRange(block, at, at + ivLength);
            return new KeyBlock(aead, clientKey, serverKey, clientIv, serverIv);
        } finally {
            Arrays.fill(block, (byte) 0);
        }
    }

    /**
     * The fixed_iv_length of an AEAD suite: 4 for AES-GCM (the salt, RFC 5288 section 3), 12
     * for ChaCha20-Poly1305 (RFC 7905 section 2).
     */
    public static int fixedIvLength(AeadAlgorithm aead) {
        return aead == AeadAlgorithm.CHACHA20_POLY1305 ? 12 : 4;
    }

    /**
     * RFC 5246 7.4.9: verify_data = PRF(master_secret, finished_label,
     * Hash(handshake_messages))[0..11], with finished_label "client finished" or
     * "server finished" by the sender's role.
     */
    public byte[] verifyData(Secret masterSecret, boolean fromClient, byte[] handshakeHash) {
        if (handshakeHash.length != hash.length()) {
            throw new IllegalArgumentException("handshake hash must be " + hash.length() + " bytes");
        }
        return prf(masterSecret.bytes(), fromClient ? CLIENT_FINISHED : SERVER_FINISHED, handshakeHash,
                VERIFY_DATA_LENGTH);
    }

    /** Compares a received verify_data with the expected one in constant time. */
    public static boolean verifyDataMatches(byte[] expected, byte[] received) {
        return MessageDigest.isEqual(expected, received);
    }

    /** Re-keyed for each use: {@code Mac.getInstance} per use cost more than the HMAC (profiled). */
    private Mac hmac;

    private Mac newMac(byte[] secret) {
        try {
            if (hmac == null) {
                hmac = Mac.getInstance(hash.macName());
            }
            Mac mac = hmac;
            // The secret is used in place (no copy left behind); the provider clears its own copy.
            mac.init(new RawKey(hash.macName(), secret));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(hash.macName() + " unavailable", e);
        }
    }

    private static byte[] checkRandom(byte[] random) {
        if (random.length != RANDOM_LENGTH) {
            throw new IllegalArgumentException("a hello random is 32 bytes, not " + random.length);
        }
        return random;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return "Tls12Prf[" + hash + "]";
    }

    /**
     * A secret (pre-master or master secret) that can be wiped. Never printed; after
     * {@link #destroy()} every access fails.
     */
    public static final class Secret implements Destroyable {
        private final byte[] bytes;
        private boolean destroyed;

        /** Takes ownership of {@code bytes} (no copy): the caller must not keep using them. */
        public Secret(byte[] bytes) {
            this.bytes = bytes;
        }

        /** The secret itself, not a copy: do not modify or keep it. */
        public byte[] bytes() {
            if (destroyed) {
                throw new IllegalStateException("secret destroyed");
            }
            return bytes;
        }

        /** A copy the caller owns (for example for a session cache). */
        public byte[] copy() {
            return bytes().clone();
        }

        public int length() {
            return bytes.length;
        }

        @Override
        public void destroy() {
            Arrays.fill(bytes, (byte) 0);
            destroyed = true;
        }

        @Override
        public boolean isDestroyed() {
            return destroyed;
        }

        @Override
        public String toString() {
            return "Secret[" + bytes.length + " bytes" + (destroyed ? ", destroyed" : "") + "]";
        }
    }

    /**
     * The keys of one TLS 1.2 AEAD connection (RFC 5246 6.3), both directions. Accessors return
     * copies, so a record protection object may wipe what it is given; {@link #destroy()} wipes
     * the originals.
     */
    public static final class KeyBlock implements Destroyable {
        private final AeadAlgorithm aead;
        private final byte[] clientWriteKey;
        private final byte[] serverWriteKey;
        private final byte[] clientWriteIv;
        private final byte[] serverWriteIv;
        private boolean destroyed;

        KeyBlock(AeadAlgorithm aead, byte[] clientWriteKey, byte[] serverWriteKey,
                 byte[] clientWriteIv, byte[] serverWriteIv) {
            this.aead = aead;
            this.clientWriteKey = clientWriteKey;
            this.serverWriteKey = serverWriteKey;
            this.clientWriteIv = clientWriteIv;
            this.serverWriteIv = serverWriteIv;
        }

        public AeadAlgorithm aead() {
            return aead;
        }

        public byte[] clientWriteKey() {
            return live(clientWriteKey);
        }

        public byte[] serverWriteKey() {
            return live(serverWriteKey);
        }

        /** The client's 4-byte GCM salt or 12-byte ChaCha20-Poly1305 IV. */
        public byte[] clientWriteIv() {
            return live(clientWriteIv);
        }

        /** The server's 4-byte GCM salt or 12-byte ChaCha20-Poly1305 IV. */
        public byte[] serverWriteIv() {
            return live(serverWriteIv);
        }

        private byte[] live(byte[] b) {
            if (destroyed) {
                throw new IllegalStateException("key block destroyed");
            }
            return b.clone();
        }

        @Override
        public void destroy() {
            Arrays.fill(clientWriteKey, (byte) 0);
            Arrays.fill(serverWriteKey, (byte) 0);
            Arrays.fill(clientWriteIv, (byte) 0);
            Arrays.fill(serverWriteIv, (byte) 0);
            destroyed = true;
        }

        @Override
        public boolean isDestroyed() {
            return destroyed;
        }

        @Override
        public String toString() {
            return "KeyBlock[" + aead.displayName() + (destroyed ? ", destroyed" : "") + "]";
        }
    }
}
