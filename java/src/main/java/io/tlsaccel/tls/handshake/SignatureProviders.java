package io.tlsaccel.tls.handshake;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which JCA provider signs and verifies handshake signatures, and each key converted once to
 * that provider's own key objects. {@code -Dtlsaccel.sig=jdk|bc|accp} forces one provider;
 * the default ("auto") takes the fastest one present for the scheme.
 *
 * <p>Measured here (2026-12-04, µs per operation with each provider's own key objects,
 * {@code SigProbe}-style loops of 2 s; JDK 17 / JDK 25):
 * <pre>
 *                      JDK sign/verify        Bouncy Castle 1.87     ACCP 2.5 (AWS-LC)
 *   ECDSA P-256        503/920   173/538      67/67    111/74        13/40    15/42
 *   ECDSA P-384        924/1753  887/1570     278/220  241/217       68/159   113/263
 *   RSA-PSS 2048       822/31    1434/49      875/34   1543/51       249/15   375/25
 *   Ed25519            473/469   463/869      (BC)                   (no Ed25519 keys)
 * </pre>
 * So: ECDSA and RSA go to Amazon Corretto Crypto Provider when the application has it on the
 * class path ({@link CorrettoCrypto}); otherwise ECDSA and Ed25519 go to Bouncy Castle and RSA
 * stays with the platform, as fast there and where hardware-backed RSA keys live. A key the
 * chosen provider cannot take (a token's, say) is handed to the platform's providers instead
 * (see {@link SignatureScheme#sign}).
 */
public final class SignatureProviders {
    /** "auto" (default), "jdk", "bc" or "accp". */
    static final String PROPERTY = "tlsaccel.sig";

    /**
     * Keys as the provider's own objects, per provider. Handed the JDK's key objects, Bouncy
     * Castle rebuilds the curve and its precomputed tables on every signature (profiled: most
     * of a P-256 sign or verify), and ACCP re-imports the key into native memory. Weak keys: an
     * entry goes with its key; keys are compared as the JDK compares them (by encoding), so a
     * peer's key seen again in a new certificate object is found.
     */
    private static final Map<Provider, Map<Key, Key>> CONVERTED = new ConcurrentHashMap<>();

    private SignatureProviders() {
    }

    /** The provider that signs and verifies {@code scheme}; null means the platform's default lookup. */
    static Provider forScheme(SignatureScheme scheme) {
        Provider accp = offering(CorrettoCrypto.provider(), scheme);
        Provider bc = BouncyCastle.provider();
        return switch (mode()) {
            case "jdk" -> null;
            case "bc" -> bc;
            case "accp" -> accp;
            default -> accp != null && !scheme.keyType().equals("EdDSA") ? accp
                    : scheme.isRsa() ? null : bc;
        };
    }

    private static Provider offering(Provider p, SignatureScheme scheme) {
        return p != null && p.getService("Signature", scheme.jcaName()) != null ? p : null;
    }

    private static String mode() {
        return System.getProperty(PROPERTY, "auto").toLowerCase(Locale.ROOT);
    }

    /**
     * {@code key} as {@code p}'s own key object, converted once; the key itself when {@code p}
     * is the platform, the key is already a provider-made one, or {@code p} cannot read it.
     */
    @SuppressWarnings("unchecked")
    static <K extends Key> K keyFor(K key, Provider p) {
        String type = key instanceof ECKey ? "EC" : key instanceof RSAKey && p == CorrettoCrypto.provider() ? "RSA" : null;
        if (p == null || type == null || madeBy(key, p)) {
            return key;
        }
        Map<Key, Key> cache = CONVERTED.computeIfAbsent(p, x -> Collections.synchronizedMap(new WeakHashMap<>()));
        Key converted = cache.get(key);
        if (converted == null) {
            try {
                converted = KeyFactory.getInstance(type, p).translateKey(key);
            } catch (GeneralSecurityException | RuntimeException notConvertible) {
                return key; // the provider reads it as it is, or the platform fallback decides
            }
            cache.put(key, converted);
        }
        return (K) converted;
    }

    /** Whether the key is already one of the provider's objects (same top two packages). */
    private static boolean madeBy(Key key, Provider p) {
        String provider = p.getClass().getName();
        int second = provider.indexOf('.', provider.indexOf('.') + 1);
        return key.getClass().getName().startsWith(provider.substring(0, second + 1));
    }

    /** Per scheme, which provider signs and verifies in this JVM and why, for {@code info}. */
    public static Map<String, String> summary() {
        Map<String, String> out = new LinkedHashMap<>();
        for (SignatureScheme s : SignatureScheme.values()) {
            Provider p = forScheme(s);
            out.put(s.rfcName(), p == null ? "JDK (platform providers)" : p.getName());
        }
        return out;
    }

    /** Whether ACCP is present and why (not), for {@code info}. */
    public static String correttoStatus() {
        return CorrettoCrypto.status();
    }
}
