package io.tlsaccel.tls.handshake;

import io.tlsaccel.crypto.RawKey;
import io.tlsaccel.tls.record.Tls13CipherSuite;
import io.tlsaccel.tls.message.TlsWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;

/**
 * The TLS 1.3 key schedule (RFC 8446 7.1) for one connection: Early Secret = HKDF-Extract(0,
 * PSK) with a resumption PSK ({@link #usePsk}), else HKDF-Extract(0, 0); Handshake Secret from
 * the (EC)DHE secret; Master Secret. Intermediate secrets are zeroed as soon as the next stage
 * is derived.
 */
public final class KeySchedule {
    private final Tls13CipherSuite suite;
    private final int hashLen;
    private final byte[] emptyHash;
    private byte[] earlySecret;
    private byte[] handshakeSecret;
    private byte[] masterSecret;
    /**
     * One HMAC for the whole schedule, re-keyed for each step: a new {@code Mac.getInstance}
     * per step (about 20 per handshake) spent more on the provider search than on the HMAC.
     */
    private Mac hmac;

    /** Hash("") per suite: the same for every connection. */
    private static final java.util.Map<Tls13CipherSuite, byte[]> EMPTY_HASH = new java.util.concurrent.ConcurrentHashMap<>();

    public KeySchedule(Tls13CipherSuite suite) {
        this.suite = suite;
        this.hashLen = suite.hashLength();
        this.emptyHash = EMPTY_HASH.computeIfAbsent(suite, s -> hash(s, new byte[0]));
    }

    public Tls13CipherSuite suite() {
        return suite;
    }

    // ---- HKDF (RFC 5869) with the suite's HMAC ----

    private Mac mac(byte[] key) {
        try {
            if (hmac == null) {
                hmac = Mac.getInstance(suite.hmac().jcaName());
            }
            hmac.init(new RawKey(suite.hmac().jcaName(), key)); // in place: no copy left behind
            return hmac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC unavailable", e);
        }
    }

    /** HKDF-Extract(salt, IKM); a null or empty salt means hashLen zeros. */
    public byte[] extract(byte[] salt, byte[] ikm) {
        byte[] s = (salt == null || salt.length == 0) ? new byte[hashLen] : salt;
        return mac(s).doFinal(ikm);
    }

    /** HKDF-Expand(PRK, info, L). */
    public byte[] expand(byte[] prk, byte[] info, int length) {
        Mac m = mac(prk);
        byte[] out = new byte[length];
        byte[] t = new byte[0];
        int done = 0;
        for (int i = 1; done < length; i++) {
            m.update(t);
            m.update(info);
            m.update((byte) i);
            byte[] next = m.doFinal();
            Arrays.fill(t, (byte) 0);
            t = next;
            int n = Math.min(t.length, length - done);
            System.arraycopy(t, 0, out, done, n);
            done += n;
        }
        Arrays.fill(t, (byte) 0);
        return out;
    }

    /** HKDF-Expand-Label (RFC 8446 7.1): HkdfLabel = length, "tls13 " + label, context. */
    public byte[] expandLabel(byte[] secret, String label, byte[] context, int length) {
        TlsWriter w = new TlsWriter(16 + label.length() + context.length);
        w.u16(length);
        w.u8Prefixed(("tls13 " + label).getBytes(StandardCharsets.US_ASCII));
        w.u8Prefixed(context);
        return expand(secret, w.toByteArray(), length);
    }

    /** Derive-Secret(Secret, Label, Messages) with the transcript hash already computed. */
    public byte[] deriveSecret(byte[] secret, String label, byte[] transcriptHash) {
        return expandLabel(secret, label, transcriptHash, hashLen);
    }

    public static byte[] hash(Tls13CipherSuite suite, byte[] data) {
        try {
            return MessageDigest.getInstance(suite.hashName()).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the stages ----

    /** Client and server handshake traffic secrets. */
    public record TrafficSecrets(byte[] client, byte[] server) {
        public void destroy() {
            Arrays.fill(client, (byte) 0);
            Arrays.fill(server, (byte) 0);
        }

        @Override
        public String toString() {
            return "TrafficSecrets[redacted]";
        }
    }

    /**
     * From the (EC)DHE shared secret and Transcript-Hash(ClientHello..ServerHello): the
     * handshake secret and both handshake traffic secrets.
     */
    public TrafficSecrets deriveHandshakeSecrets(byte[] sharedSecret, byte[] helloHash) {
        byte[] early = earlySecret != null ? earlySecret : extract(null, new byte[hashLen]);
        earlySecret = null;
        byte[] derived = deriveSecret(early, "derived", emptyHash);
        Arrays.fill(early, (byte) 0);
        handshakeSecret = extract(derived, sharedSecret);
        Arrays.fill(derived, (byte) 0);
        return new TrafficSecrets(deriveSecret(handshakeSecret, "c hs traffic", helloHash),
                deriveSecret(handshakeSecret, "s hs traffic", helloHash));
    }

    /**
     * From Transcript-Hash(ClientHello..server Finished): the master secret and both
     * application traffic secrets. The handshake secret is wiped.
     */
    public TrafficSecrets deriveApplicationSecrets(byte[] serverFinishedHash) {
        if (handshakeSecret == null) {
            throw new IllegalStateException("handshake secret not derived");
        }
        byte[] derived = deriveSecret(handshakeSecret, "derived", emptyHash);
        Arrays.fill(handshakeSecret, (byte) 0);
        handshakeSecret = null;
        masterSecret = extract(derived, new byte[hashLen]);
        Arrays.fill(derived, (byte) 0);
        return new TrafficSecrets(deriveSecret(masterSecret, "c ap traffic", serverFinishedHash),
                deriveSecret(masterSecret, "s ap traffic", serverFinishedHash));
    }

    /** exporter_master_secret (7.1); call before {@link #destroy()}. */
    public byte[] exporterMasterSecret(byte[] serverFinishedHash) {
        return deriveSecret(masterSecret, "exp master", serverFinishedHash);
    }

    /** resumption_master_secret (7.1) over Transcript-Hash(ClientHello..client Finished). */
    public byte[] resumptionMasterSecret(byte[] clientFinishedHash) {
        return deriveSecret(masterSecret, "res master", clientFinishedHash);
    }

    // ---- resumption (4.2.11, 4.6.1) ----

    /** The handshake resumes with this PSK (psk_dhe_ke): the early secret comes from it. */
    public void usePsk(byte[] psk) {
        if (earlySecret != null) {
            Arrays.fill(earlySecret, (byte) 0);
        }
        earlySecret = extract(null, psk);
    }

    /**
     * The PSK binder (4.2.11.2): the Finished computation with binder_key =
     * Derive-Secret(Early Secret(psk), "res binder", "") over Transcript-Hash(Truncate(ClientHello)).
     */
    public byte[] binder(byte[] psk, byte[] truncatedHelloHash) {
        byte[] early = extract(null, psk);
        byte[] binderKey = deriveSecret(early, "res binder", emptyHash);
        Arrays.fill(early, (byte) 0);
        try {
            return finishedVerifyData(binderKey, truncatedHelloHash);
        } finally {
            Arrays.fill(binderKey, (byte) 0);
        }
    }

    /** The PSK a NewSessionTicket stands for (4.6.1): HKDF-Expand-Label(resumption_master_secret, "resumption", nonce, Hash.length). */
    public byte[] ticketPsk(byte[] resumptionMasterSecret, byte[] nonce) {
        return expandLabel(resumptionMasterSecret, "resumption", nonce, hashLen);
    }

    /** Finished verify_data (4.4.4): HMAC(finished_key, Transcript-Hash). */
    public byte[] finishedVerifyData(byte[] baseKey, byte[] transcriptHash) {
        byte[] finishedKey = expandLabel(baseKey, "finished", new byte[0], hashLen);
        try {
            return mac(finishedKey).doFinal(transcriptHash);
        } finally {
            Arrays.fill(finishedKey, (byte) 0);
        }
    }

    /** application_traffic_secret_N+1 (7.2). */
    public byte[] nextTrafficSecret(byte[] secret) {
        return expandLabel(secret, "traffic upd", new byte[0], hashLen);
    }

    /** [sender]_write_key (7.3). */
    public byte[] trafficKey(byte[] secret) {
        return expandLabel(secret, "key", new byte[0], suite.keyLength());
    }

    /** [sender]_write_iv (7.3). */
    public byte[] trafficIv(byte[] secret) {
        return expandLabel(secret, "iv", new byte[0], 12);
    }

    /** Wipes whatever secret this schedule still holds. */
    public void destroy() {
        if (earlySecret != null) {
            Arrays.fill(earlySecret, (byte) 0);
            earlySecret = null;
        }
        if (handshakeSecret != null) {
            Arrays.fill(handshakeSecret, (byte) 0);
            handshakeSecret = null;
        }
        if (masterSecret != null) {
            Arrays.fill(masterSecret, (byte) 0);
            masterSecret = null;
        }
    }

    @Override
    public String toString() {
        return "KeySchedule[" + suite + "]";
    }
}
