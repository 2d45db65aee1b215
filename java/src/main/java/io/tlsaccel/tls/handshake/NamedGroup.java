package io.tlsaccel.tls.handshake;

import io.tlsaccel.crypto.Backends;
import io.tlsaccel.crypto.X25519Keys;
import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.TlsAlertException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Locale;
import javax.crypto.KeyAgreement;

/**
 * The key exchange groups (RFC 8446 4.2.7). By default x25519 runs on our own X25519
 * ({@link io.tlsaccel.crypto.X25519}: the C layer where it loads, Bouncy Castle's otherwise) and
 * the NIST curves on Bouncy Castle (measured 1.3x to 6x faster than the JDK here, see
 * {@link #provider()}); {@code -Dtlsaccel.kex=bc} puts x25519 on Bouncy Castle's provider too,
 * {@code -Dtlsaccel.kex=jdk} everything on the JDK. Either way keys cross the API only as
 * standard encodings, so all of them interoperate.
 */
public enum NamedGroup {
    X25519(0x001d, 32, "x25519", null),
    SECP256R1(0x0017, 65, "secp256r1", null),
    SECP384R1(0x0018, 97, "secp384r1", null),
    /**
     * draft-ietf-tls-ecdhe-mlkem: ML-KEM-768 with X25519, ML-KEM first (client share ek || X25519,
     * server share ciphertext || X25519, secret ML-KEM || X25519). TLS 1.3 only.
     */
    X25519MLKEM768(0x11ec, 1216, "X25519MLKEM768", X25519),
    /** The same with P-256, ECDH first (point || ek, point || ciphertext, ECDH || ML-KEM). TLS 1.3 only. */
    SECP256R1MLKEM768(0x11eb, 1249, "SecP256r1MLKEM768", SECP256R1);

    /** "auto" (default), "bc" or "jdk". */
    public static final String PROPERTY = "tlsaccel.kex";
    /** X.509 SubjectPublicKeyInfo prefix of an X25519 key (RFC 8410). */
    private static final byte[] X25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00};

    private final int id;
    private final int publicLength;
    private final String jdkName;
    /** The elliptic-curve half of a hybrid group; null for a plain (EC)DHE group. */
    private final NamedGroup classical;
    private volatile ECParameterSpec ecParams;

    NamedGroup(int id, int publicLength, String jdkName, NamedGroup classical) {
        this.id = id;
        this.publicLength = publicLength;
        this.jdkName = jdkName;
        this.classical = classical;
    }

    /** A post-quantum hybrid (ECDHE + ML-KEM-768): TLS 1.3 only, shares made by {@link KeyShares}. */
    public boolean hybrid() {
        return classical != null;
    }

    /** The elliptic-curve half of a hybrid group, null otherwise. */
    public NamedGroup classical() {
        return classical;
    }

    /** The client's key_share length (for a hybrid: with the ML-KEM encapsulation key). */
    int clientShareLength() {
        return publicLength;
    }

    public int id() {
        return id;
    }

    /** The JDK's name for the group (as in jdk.tls.namedGroups). */
    public String jdkName() {
        return jdkName;
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

    /** The provider key exchange runs on: Bouncy Castle unless tlsaccel.kex=jdk (or BC is absent). */
    public static java.security.Provider provider() {
        return "jdk".equalsIgnoreCase(System.getProperty(PROPERTY)) ? null : BouncyCastle.provider();
    }

    /**
     * The provider for this group when not asked for one: for the NIST curves, Amazon Corretto
     * Crypto Provider when the application has it (see {@link CorrettoCrypto}) and neither
     * "jdk" nor "bc" was asked for; else {@link #provider()}. Measured here (JDK 17, µs, key generation /
     * ECDH): P-256 JDK 456/869, Bouncy Castle 62/160, ACCP 8/34; P-384 JDK 1,237/2,331, Bouncy
     * Castle 1,031/853, ACCP 39/112.
     */
    java.security.Provider defaultProvider() {
        java.security.Provider accp = CorrettoCrypto.provider();
        return this != X25519 && !hybrid() && !providerForced() && accp != null ? accp : provider();
    }

    private static KeyPairGenerator keyPairGenerator(String alg, java.security.Provider p) throws GeneralSecurityException {
        return p == null ? KeyPairGenerator.getInstance(alg) : KeyPairGenerator.getInstance(alg, p);
    }

    private static KeyAgreement keyAgreement(String alg, java.security.Provider p) throws GeneralSecurityException {
        return p == null ? KeyAgreement.getInstance(alg) : KeyAgreement.getInstance(alg, p);
    }

    private static KeyFactory keyFactory(String alg, java.security.Provider p) throws GeneralSecurityException {
        return p == null ? KeyFactory.getInstance(alg) : KeyFactory.getInstance(alg, p);
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

    /** Whether x25519 runs on {@link io.tlsaccel.crypto.X25519} (neither "bc" nor "jdk" asked for). */
    private static boolean ownX25519() {
        return !providerForced();
    }

    /** Whether -Dtlsaccel.kex names a provider ("jdk" or "bc") for every group. */
    private static boolean providerForced() {
        String kex = System.getProperty(PROPERTY);
        return kex != null && (kex.equalsIgnoreCase("jdk") || kex.equalsIgnoreCase("bc"));
    }

    public KeyPair generate(SecureRandom random) {
        if (this == X25519 && ownX25519()) {
            return X25519Keys.generate(Backends.selected().x25519(), random);
        }
        return generate(random, defaultProvider());
    }

    /** A fresh key pair on the given provider (null: the JDK's). */
    public KeyPair generate(SecureRandom random, java.security.Provider p) {
        try {
            if (this == X25519) {
                if (p == null) {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("XDH");
                    g.initialize(NamedParameterSpec.X25519, random);
                    return g.generateKeyPair();
                }
                KeyPairGenerator g = keyPairGenerator("X25519", p);
                g.initialize(NamedParameterSpec.X25519, random);
                return g.generateKeyPair();
            }
            KeyPairGenerator g = keyPairGenerator("EC", p);
            g.initialize(new ECGenParameterSpec(jdkName()), random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate " + this + " key", e);
        }
    }

    /** The key_exchange encoding (4.2.8.2 uncompressed point; RFC 7748 little-endian u). */
    public byte[] encodePublic(PublicKey key) {
        if (this == X25519) {
            // The raw key is the last 32 bytes of its SubjectPublicKeyInfo (RFC 8410), whichever
            // provider made it.
            byte[] spki = key.getEncoded();
            if (spki == null || spki.length != 44) {
                throw new IllegalStateException("unexpected X25519 public key encoding");
            }
            return java.util.Arrays.copyOfRange(spki, 12, 44);
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
        if (this == X25519 && ownX25519() && data.length == publicLength) {
            return X25519Keys.publicKey(data);
        }
        return decodePublic(data, defaultProvider());
    }

    /** {@link #decodePublic(byte[])} on the given provider (null: the JDK's). */
    public PublicKey decodePublic(byte[] data, java.security.Provider p) throws TlsAlertException {
        if (data.length != publicLength) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER,
                    "bad " + jdkName() + " key share length " + data.length);
        }
        try {
            if (this == X25519) {
                // RFC 7748 5 has implementations mask the top bit of the u-coordinate; both
                // providers do so when computing the shared secret.
                byte[] spki = java.util.Arrays.copyOf(X25519_SPKI_PREFIX, 44);
                System.arraycopy(data, 0, spki, 12, 32);
                return keyFactory(p == null ? "XDH" : "X25519", p).generatePublic(new java.security.spec.X509EncodedKeySpec(spki));
            }
            if (data[0] != 4) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "EC key share not uncompressed");
            }
            int n = (publicLength - 1) / 2;
            BigInteger x = new BigInteger(1, java.util.Arrays.copyOfRange(data, 1, 1 + n));
            BigInteger y = new BigInteger(1, java.util.Arrays.copyOfRange(data, 1 + n, 1 + 2 * n));
            ECParameterSpec params = ecParams();
            BigInteger prime = ((ECFieldFp) params.getCurve().getField()).getP();
            // 4.2.8.2: the peer's point must be validated (on the curve, coordinates in range).
            if (x.compareTo(prime) >= 0 || y.compareTo(prime) >= 0) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "EC point out of range");
            }
            BigInteger lhs = y.multiply(y).mod(prime);
            BigInteger rhs = x.pow(3).add(params.getCurve().getA().multiply(x)).add(params.getCurve().getB()).mod(prime);
            if (!lhs.equals(rhs)) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "EC point not on curve");
            }
            return keyFactory("EC", p).generatePublic(new ECPublicKeySpec(new ECPoint(x, y), params));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "bad " + jdkName() + " key share", e);
        }
    }

    /** The (EC)DHE shared secret (7.4); an all-zero X25519 result is illegal_parameter. */
    public byte[] agree(PrivateKey priv, PublicKey peer) throws TlsAlertException {
        if (priv instanceof X25519Keys.Private own) {
            try {
                return own.agree(encodePublic(peer));
            } catch (InvalidKeyException e) {
                // 7.4.2 / RFC 7748 6.1: all-zero shared secret must be rejected.
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "all-zero shared secret", e);
            }
        }
        return agree(priv, peer, defaultProvider());
    }

    public byte[] agree(PrivateKey priv, PublicKey peer, java.security.Provider p) throws TlsAlertException {
        byte[] secret;
        try {
            KeyAgreement ka = keyAgreement(this == X25519 ? (p == null ? "XDH" : "X25519") : "ECDH", p);
            ka.init(priv);
            ka.doPhase(peer, true);
            secret = ka.generateSecret();
        } catch (GeneralSecurityException | RuntimeException e) {
            // Bouncy Castle reports an all-zero X25519 result as IllegalStateException.
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "key agreement failed", e);
        }
        int acc = 0;
        for (byte b : secret) {
            acc |= b;
        }
        // 7.4.2 / RFC 7748 6.1: an all-zero X25519 secret must be rejected. Not so for ECDH: a
        // point whose x-coordinate is 0 is a valid shared secret (Wycheproof ecdh tcId 3).
        if (acc == 0 && this == X25519) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "all-zero shared secret");
        }
        return secret;
    }
}
