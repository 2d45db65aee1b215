package io.tlsaccel.tls.handshake;

import java.security.PublicKey;
import java.security.interfaces.RSAKey;

/**
 * The shape a signature must have before any provider sees it, so that no provider's leniency
 * decides what we accept (Wycheproof: the JDK 17 verifier takes a BER-encoded ECDSA signature
 * and an Ed25519 signature with a byte appended).
 */
final class SignatureEncoding {
    private static final int SEQUENCE = 0x30;
    private static final int INTEGER = 0x02;

    private SignatureEncoding() {
    }

    /** Whether {@code sig} is encoded as {@code scheme} requires for {@code key}. */
    static boolean wellFormed(SignatureScheme scheme, PublicKey key, byte[] sig) {
        return switch (scheme.keyType()) {
            // RFC 8446 4.2.3: ECDSA-Sig-Value in DER (RFC 3279 2.2.3).
            case "EC" -> derEcdsa(sig);
            // RFC 8032 5.1.6: exactly 64 bytes.
            case "EdDSA" -> sig.length == 64;
            // RFC 8017 8.1.2 / 8.2.2 step 1: as long as the modulus.
            case "RSA" -> !(key instanceof RSAKey rsa) || sig.length == (rsa.getModulus().bitLength() + 7) / 8;
            default -> false;
        };
    }

    /** SEQUENCE { INTEGER r, INTEGER s } in DER: definite minimal lengths, positive minimal integers, nothing after. */
    private static boolean derEcdsa(byte[] sig) {
        if (sig.length < 8 || (sig[0] & 0xff) != SEQUENCE) {
            return false;
        }
        int pos = 1;
        int len = sig[pos++] & 0xff;
        if (len == 0x81) {
            len = sig[pos++] & 0xff;
            if (len < 0x80) {
                return false; // long form where the short one fits
            }
        } else if (len > 0x80) {
            return false; // two or more length bytes: no ECDSA signature needs them (P-521's is at most 141 bytes)
        } else if (len == 0x80) {
            return false; // indefinite length
        }
        if (pos + len != sig.length) {
            return false;
        }
        int afterR = integerEnd(sig, pos);
        return afterR > 0 && integerEnd(sig, afterR) == sig.length;
    }

    /** The offset after a positive, minimally encoded INTEGER starting at {@code pos}; -1 if it is not one. */
    private static int integerEnd(byte[] sig, int pos) {
        if (pos + 2 > sig.length || (sig[pos] & 0xff) != INTEGER) {
            return -1;
        }
        int len = sig[pos + 1] & 0xff;
        int start = pos + 2;
        if (len == 0 || len >= 0x80 || start + len > sig.length) {
            return -1;
        }
        if ((sig[start] & 0x80) != 0) {
            return -1; // negative
        }
        if (len > 1 && sig[start] == 0 && (sig[start + 1] & 0x80) == 0) {
            return -1; // a leading zero that is not needed
        }
        return start + len;
    }
}
