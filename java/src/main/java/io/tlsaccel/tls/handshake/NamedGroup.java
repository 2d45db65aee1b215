package io.tlsaccel.tls.handshake;

import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.TlsAlertException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Locale;
import javax.crypto.KeyAgreement;

/** The key exchange groups (RFC 8446 4.2.7) with their JDK implementations. */
public enum NamedGroup {
    X25519(0x001d, 32),
    SECP256R1(0x0017, 65),
    SECP384R1(0x0018, 97);

    private final int id;
    private final int publicLength;
    private volatile ECParameterSpec ecParams;

    NamedGroup(int id, int publicLength) {
        this.id = id;
        this.publicLength = publicLength;
    }

    public int id() {
        return id;
    }

    /** The JDK's name for the group (as in jdk.tls.namedGroups). */
    public String jdkName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static NamedGroup of(int id) {
        for (NamedGroup g : values()) {
            if (g.id == id) {
                return g;
            }
        }
        return null;
    }

    public static NamedGroup ofName(String name) {
        for (NamedGroup g : values()) {
            if (g.jdkName().equalsIgnoreCase(name.trim())) {
                return g;
            }
        }
        return null;
    }

    private ECParameterSpec ecParams() throws GeneralSecurityException {
        ECParameterSpec p = ecParams;
        if (p == null) {
            AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
            ap.init(new ECGenParameterSpec(jdkName()));
            p = ap.getParameterSpec(ECParameterSpec.class);
            ecParams = p;
        }
        return p;
    }

    public KeyPair generate(SecureRandom random) {
        try {
            if (this == X25519) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("XDH");
                g.initialize(NamedParameterSpec.X25519, random);
                return g.generateKeyPair();
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(jdkName()), random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate " + this + " key", e);
        }
    }

    /** The key_exchange encoding (4.2.8.2 uncompressed point; RFC 7748 little-endian u). */
    public byte[] encodePublic(PublicKey key) {
        if (this == X25519) {
            BigInteger u = ((XECPublicKey) key).getU();
            byte[] be = u.toByteArray();
            byte[] out = new byte[32];
            for (int i = 0; i < 32 && i < be.length; i++) {
                out[i] = be[be.length - 1 - i];
            }
            return out;
        }
        ECPoint w = ((ECPublicKey) key).getW();
        int n = (publicLength - 1) / 2;
        byte[] out = new byte[publicLength];
        out[0] = 4;
        copyFixed(w.getAffineX(), out, 1, n);
        copyFixed(w.getAffineY(), out, 1 + n, n);
        return out;
    }

    private static void copyFixed(BigInteger v, byte[] out, int off, int n) {
        byte[] b = v.toByteArray();
        int start = Math.max(0, b.length - n);
        int len = b.length - start;
        System.arraycopy(b, start, out, off + n - len, len);
    }

    /** Decodes and validates a peer's key_exchange; a bad share is illegal_parameter. */
    public PublicKey decodePublic(byte[] data) throws TlsAlertException {
        if (data.length != publicLength) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER,
                    "bad " + jdkName() + " key share length " + data.length);
        }
        try {
            if (this == X25519) {
                byte[] be = new byte[32];
                for (int i = 0; i < 32; i++) {
                    be[i] = data[31 - i];
                }
                be[0] &= 0x7f; // RFC 7748 5: mask the most significant bit
                return KeyFactory.getInstance("XDH").generatePublic(
                        new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be)));
            }
            if (data[0] != 4) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "EC key share not uncompressed");
            }
            int n = (publicLength - 1) / 2;
            BigInteger x = new BigInteger(1, java.util.Arrays.copyOfRange(data, 1, 1 + n));
            BigInteger y = new BigInteger(1, java.util.Arrays.copyOfRange(data, 1 + n, 1 + 2 * n));
            ECParameterSpec params = ecParams();
            BigInteger p = ((ECFieldFp) params.getCurve().getField()).getP();
            // 4.2.8.2: the peer's point must be validated (on the curve, coordinates in range).
            if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "EC point out of range");
            }
            BigInteger lhs = y.multiply(y).mod(p);
            BigInteger rhs = x.pow(3).add(params.getCurve().getA().multiply(x)).add(params.getCurve().getB()).mod(p);
            if (!lhs.equals(rhs)) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "EC point not on curve");
            }
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), params));
        } catch (GeneralSecurityException e) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "bad " + jdkName() + " key share", e);
        }
    }

    /** The (EC)DHE shared secret (7.4); an all-zero X25519 result is illegal_parameter. */
    public byte[] agree(PrivateKey priv, PublicKey peer) throws TlsAlertException {
        byte[] secret;
        try {
            KeyAgreement ka = KeyAgreement.getInstance(this == X25519 ? "XDH" : "ECDH");
            ka.init(priv);
            ka.doPhase(peer, true);
            secret = ka.generateSecret();
        } catch (GeneralSecurityException e) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "key agreement failed", e);
        }
        int acc = 0;
        for (byte b : secret) {
            acc |= b;
        }
        if (acc == 0) {
            // 7.4.2 / RFC 7748 6.1: all-zero shared secret must be rejected.
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "all-zero shared secret");
        }
        return secret;
    }
}
