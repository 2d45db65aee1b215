package io.tlsaccel.tls.handshake;

import io.tlsaccel.tls.message.HandshakeType;
import io.tlsaccel.tls.record.Tls13CipherSuite;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * Transcript-Hash (RFC 8446 4.4.1). Messages are buffered until the cipher suite (and so the
 * hash) is known, then hashed incrementally. After a HelloRetryRequest the first ClientHello is
 * replaced by a synthetic message_hash message.
 */
public final class TranscriptHash {
    private ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private MessageDigest digest;

    /** Adds one whole handshake message (header included). */
    public void update(byte[] message) {
        if (digest == null) {
            pending.write(message, 0, message.length);
        } else {
            digest.update(message);
        }
    }

    public void selectHash(Tls13CipherSuite suite) {
        if (digest != null) {
            return;
        }
        try {
            digest = MessageDigest.getInstance(suite.hashName());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        digest.update(pending.toByteArray());
        pending = null;
    }

    /**
     * 4.4.1: on HelloRetryRequest, ClientHello1 (all that is in the transcript so far) becomes
     * message_hash(254) || 00 00 Hash.length || Hash(ClientHello1).
     */
    public void replaceWithMessageHash(Tls13CipherSuite suite) {
        selectHash(suite);
        byte[] h = digest.digest();
        digest.reset();
        digest.update(new byte[] {(byte) HandshakeType.MESSAGE_HASH, 0, 0, (byte) h.length});
        digest.update(h);
    }

    /**
     * The hash of everything so far followed by {@code extra[0, length)}, which is not added
     * (a PSK binder covers the ClientHello up to the binders, 4.2.11.2). Before the hash is
     * selected, {@code suite} names it.
     */
    public byte[] currentWith(byte[] extra, int length, Tls13CipherSuite suite) {
        try {
            MessageDigest d;
            if (digest != null) {
                d = (MessageDigest) digest.clone();
            } else {
                d = MessageDigest.getInstance(suite.hashName());
                d.update(pending.toByteArray());
            }
            d.update(extra, 0, length);
            return d.digest();
        } catch (CloneNotSupportedException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the hash in use (once selected) is the one of {@code suite}. */
    public boolean hashIs(Tls13CipherSuite suite) {
        return digest == null || digest.getAlgorithm().equalsIgnoreCase(suite.hashName());
    }

    /** The hash of everything so far (the running state is kept). */
    public byte[] current() {
        try {
            return ((MessageDigest) digest.clone()).digest();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }
}
