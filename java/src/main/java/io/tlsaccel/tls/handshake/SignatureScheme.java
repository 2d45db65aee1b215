package io.tlsaccel.tls.handshake;

import static io.tlsaccel.tls.handshake.HandshakeSupport.contains;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

/** Signature schemes (RFC 8446 4.2.3). rsa_pkcs1_* are for certificates only. */
public enum SignatureScheme {
    ECDSA_SECP256R1_SHA256(0x0403, "SHA256withECDSA", null, "EC", "secp256r1", true),
    ECDSA_SECP384R1_SHA384(0x0503, "SHA384withECDSA", null, "EC", "secp384r1", true),
    ECDSA_SECP521R1_SHA512(0x0603, "SHA512withECDSA", null, "EC", "secp521r1", true),
    RSA_PSS_RSAE_SHA256(0x0804, "RSASSA-PSS", "SHA-256", "RSA", null, true),
    RSA_PSS_RSAE_SHA384(0x0805, "RSASSA-PSS", "SHA-384", "RSA", null, true),
    RSA_PSS_RSAE_SHA512(0x0806, "RSASSA-PSS", "SHA-512", "RSA", null, true),
    ED25519(0x0807, "Ed25519", null, "EdDSA", null, true),
    RSA_PKCS1_SHA256(0x0401, "SHA256withRSA", null, "RSA", null, false),
    RSA_PKCS1_SHA384(0x0501, "SHA384withRSA", null, "RSA", null, false),
    RSA_PKCS1_SHA512(0x0601, "SHA512withRSA", null, "RSA", null, false);

    private final int id;
    private final String jcaName;
    private final String pssHash;
    private final String keyType;
    /** ECDSA in TLS 1.3: the named curve the key must be on (RFC 8446 4.2.3); null otherwise. */
    private final String curve;
    private final boolean handshake;
    /** The RFC 8446 name ("ecdsa_secp256r1_sha256"). */
    private final String rfcName;
    /** The curve's domain parameters, looked up once. */
    private volatile ECParameterSpec curveParams;

    SignatureScheme(int id, String jcaName, String pssHash, String keyType, String curve, boolean handshake) {
        this.id = id;
        this.jcaName = jcaName;
        this.pssHash = pssHash;
        this.keyType = keyType;
        this.curve = curve;
        this.handshake = handshake;
        this.rfcName = name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The RFC 8446 name, as traces and jdk.tls.* properties spell it ("rsa_pss_rsae_sha256"). */
    public String rfcName() {
        return rfcName;
    }

    public int id() {
        return id;
    }

    /** The JCA signature algorithm name (as ExtendedSSLSession reports schemes). */
    public String jcaName() {
        return jcaName;
    }

    /**
     * The algorithm name the JDK's constraints are matched against: the JCA name, with the
     * hash spelled out for RSA-PSS ("SHA256withRSASSA-PSS") so that a disabled hash refuses it.
     */
    String constraintName() {
        return pssHash == null ? jcaName : pssHash.replace("-", "") + "withRSASSA-PSS";
    }

    /** The key type as JSSE key managers name it ("EC", "RSA", "EdDSA"). */
    public String keyType() {
        return keyType;
    }

    /** May sign a TLS 1.3 CertificateVerify (4.4.3 forbids rsa_pkcs1 there). */
    public boolean usableInHandshake() {
        return handshake;
    }

    public static SignatureScheme of(int id) {
        for (SignatureScheme s : values()) {
            if (s.id == id) {
                return s;
            }
        }
        return null;
    }

    /** What we offer in signature_algorithms. */
    public static int[] handshakeIds() {
        return new int[] {0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0807};
    }

    /** What we offer in signature_algorithms_cert. */
    public static int[] certificateIds() {
        return new int[] {0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0807, 0x0401, 0x0501, 0x0601};
    }

    /**
     * What we offer and accept in TLS 1.2 signature_algorithms (RFC 5246 7.4.1.4.1, RFC 8446
     * 4.2.3 for the code points): ECDSA, RSA-PSS with rsaEncryption keys, and PKCS#1 v1.5, which
     * TLS 1.2 still allows in handshake signatures. No SHA-1, no Ed25519 in TLS 1.2.
     */
    public static int[] tls12Ids() {
        return new int[] {0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601};
    }

    /**
     * {@link #tls12Ids()} narrowed to the schemes named in a JDK-style system property
     * ({@code jdk.tls.client.SignatureSchemes} / {@code jdk.tls.server.SignatureSchemes}:
     * comma-separated RFC 8446 names such as {@code rsa_pkcs1_sha256}); all of them when the
     * property is unset or names none we support.
     */
    public static int[] tls12Ids(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            return tls12Ids();
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        for (String n : value.replace("\"", "").split(",")) {
            names.add(n.trim().toLowerCase(java.util.Locale.ROOT));
        }
        int[] out = java.util.Arrays.stream(tls12Ids())
                .filter(id -> names.contains(of(id).rfcName()))
                .toArray();
        return out.length == 0 ? tls12Ids() : out;
    }

    /**
     * Whether this scheme can sign/verify with this key in TLS 1.2, where an ECDSA code point
     * names only the hash (RFC 8422 5.1.3: the curve is not bound to it).
     */
    public boolean matchesTls12(Key key) {
        if (this == ED25519 || !contains(tls12Ids(), id)) {
            return false;
        }
        if (curve != null) {
            return "EC".equals(keyTypeOf(key));
        }
        return matches(key);
    }

    /** The JSSE key type of a key ("EC", "RSA", "EdDSA"), or null if unsupported. */
    public static String keyTypeOf(Key key) {
        String alg = key.getAlgorithm();
        if (alg.equals("EC")) {
            return "EC";
        }
        if (alg.equals("RSA")) {
            return "RSA";
        }
        if (alg.equals("EdDSA") || alg.equals("Ed25519")) {
            return "EdDSA";
        }
        return null;
    }

    /** Whether this scheme can sign/verify with this key (curve included, 4.2.3). */
    public boolean matches(Key key) {
        String t = keyTypeOf(key);
        if (!keyType.equals(t)) {
            return false;
        }
        if (curve != null) {
            // The named curve itself, not any curve of the same size (brainpoolP256r1 and
            // secp256k1 are not secp256r1): same field, coefficients, base point, order, cofactor.
            return key instanceof ECKey ec && onCurve(ec.getParams());
        }
        if (this == ED25519) {
            // An EdDSA key could be Ed448; the JDK names the parameter set in getParams().
            if (key instanceof java.security.interfaces.EdECKey ed) {
                return ed.getParams().getName().equalsIgnoreCase("Ed25519");
            }
            return key.getAlgorithm().equals("Ed25519") || key.getAlgorithm().equals("EdDSA");
        }
        if (pssHash != null && key instanceof RSAKey rsa) {
            // The PSS encoding needs emLen >= hLen + sLen + 2 with sLen = hLen.
            int hLen = pssHash.equals("SHA-256") ? 32 : pssHash.equals("SHA-384") ? 48 : 64;
            return rsa.getModulus().bitLength() / 8 >= 2 * hLen + 2;
        }
        return true;
    }

    private boolean onCurve(ECParameterSpec p) {
        ECParameterSpec named = curveParams();
        return p != null && named != null && p.getCurve().equals(named.getCurve()) && p.getGenerator().equals(named.getGenerator())
                && p.getOrder().equals(named.getOrder()) && p.getCofactor() == named.getCofactor();
    }

    private ECParameterSpec curveParams() {
        ECParameterSpec p = curveParams;
        if (p == null) {
            try {
                AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
                ap.init(new ECGenParameterSpec(curve));
                p = ap.getParameterSpec(ECParameterSpec.class);
            } catch (GeneralSecurityException e) {
                return null;
            }
            curveParams = p;
        }
        return p;
    }

    /**
     * A new Signature per operation, on purpose: ACCP 2.5 destroys a key it translated when the
     * same Signature is re-initialised with another key, which would break the converted-key
     * cache (found when pooling them; SignatureSchemeTest catches it).
     */
    private Signature signature(Provider p) throws GeneralSecurityException {
        Signature s = p == null ? Signature.getInstance(jcaName) : Signature.getInstance(jcaName, p);
        if (pssHash != null) {
            int hLen = pssHash.equals("SHA-256") ? 32 : pssHash.equals("SHA-384") ? 48 : 64;
            s.setParameter(new PSSParameterSpec(pssHash, "MGF1", new MGF1ParameterSpec(pssHash), hLen, 1));
        }
        return s;
    }

    public byte[] sign(PrivateKey key, byte[] content, SecureRandom random) throws GeneralSecurityException {
        Provider p = SignatureProviders.forScheme(this);
        Signature s = signature(p);
        try {
            s.initSign(SignatureProviders.keyFor(key, p), random);
        } catch (InvalidKeyException notOurs) {
            if (p == null) {
                throw notOurs;
            }
            // A key Bouncy Castle cannot read (a token's, say): the platform's providers decide.
            s = signature(null);
            s.initSign(key, random);
        }
        s.update(content);
        return s.sign();
    }

    public boolean verify(PublicKey key, byte[] content, byte[] sig) {
        if (!SignatureEncoding.wellFormed(this, key, sig)) {
            return false;
        }
        Provider p = SignatureProviders.forScheme(this);
        try {
            Signature s = signature(p);
            try {
                s.initVerify(SignatureProviders.keyFor(key, p));
            } catch (InvalidKeyException notOurs) {
                if (p == null) {
                    return false;
                }
                s = signature(null);
                s.initVerify(key);
            }
            s.update(content);
            return s.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** Whether the key type is RSA (PKCS#1 or PSS). */
    boolean isRsa() {
        return keyType.equals("RSA");
    }
}
