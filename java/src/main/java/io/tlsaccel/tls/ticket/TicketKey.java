package io.tlsaccel.tls.ticket;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.security.auth.Destroyable;

/**
 * One ticket key: a 16-byte name, sent in clear at the front of every ticket so the server
 * finds the key again (RFC 5077 4's key_name), and a 32-byte AES-256-GCM key. The key never
 * leaves through {@link #toString()}: that shows the name's first bytes only.
 */
public final class TicketKey implements Destroyable {
    public static final int NAME_LENGTH = 16;
    public static final int SECRET_LENGTH = 32;
    /** name || secret, the form the key file stores. */
    public static final int ENCODED_LENGTH = NAME_LENGTH + SECRET_LENGTH;

    private final byte[] name;
    private final byte[] secret;
    private volatile boolean destroyed;

    private TicketKey(byte[] name, byte[] secret) {
        this.name = name;
        this.secret = secret;
    }

    /** A new random key. */
    public static TicketKey generate(SecureRandom random) {
        byte[] encoded = new byte[ENCODED_LENGTH];
        random.nextBytes(encoded);
        try {
            return decode(encoded);
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
    }

    /** From {@code name || secret} (48 bytes); the caller keeps and may wipe its array. */
    public static TicketKey decode(byte[] encoded) {
        if (encoded.length != ENCODED_LENGTH) {
            throw new IllegalArgumentException("a ticket key is " + ENCODED_LENGTH + " bytes, not " + encoded.length);
        }
        return new TicketKey(Arrays.copyOf(encoded, NAME_LENGTH), Arrays.copyOfRange(encoded, NAME_LENGTH, ENCODED_LENGTH));
    }

    /** {@code name || secret}: a fresh array the caller should wipe. */
    byte[] encode() {
        checkLive();
        byte[] out = Arrays.copyOf(name, ENCODED_LENGTH);
        System.arraycopy(secret, 0, out, NAME_LENGTH, SECRET_LENGTH);
        return out;
    }

    byte[] name() {
        return name;
    }

    boolean hasName(byte[] ticket, int offset) {
        return Arrays.equals(name, 0, NAME_LENGTH, ticket, offset, offset + NAME_LENGTH);
    }

    /** The AES key; callers copy what they need and never keep a reference. */
    byte[] secret() {
        checkLive();
        return secret;
    }

    private void checkLive() {
        if (destroyed) {
            throw new IllegalStateException("ticket key destroyed");
        }
    }

    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(secret, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "TicketKey[name " + HexFormat.of().formatHex(name, 0, 4) + "...]";
    }
}
