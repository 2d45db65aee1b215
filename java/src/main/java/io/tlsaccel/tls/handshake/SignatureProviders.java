package io.tlsaccel.tls.handshake;

import java.security.Provider;
import java.util.Locale;

/**
 * Which JCA provider signs and verifies handshake signatures: the one that is faster for that
 * scheme and operation on this JDK, or the one forced with {@code -Dtlsaccel.sig=jdk|bc}.
 *
 * <p>Measured on this project's benchmark machine (2026-11-27, microseconds per operation,
 * JDK's SunEC / Bouncy Castle 1.87):
 * <pre>
 *                      JDK 17 sign  verify     JDK 25 sign  verify
 *   ECDSA P-256        539/265      890/200    263/460      695/304
 *   ECDSA P-384        2045/1181    3415/1301  2073/1296    3775/1116
 *   Ed25519            1165/148     1071/189   1002/135     1076/201
 *   RSA-PSS 2048       1529/1561    94/87      1599/2052    110/137
 * </pre>
 * So Bouncy Castle verifies every EC and EdDSA scheme and signs all but P-256, which the JDK
 * signs faster from JDK 25 (the only newer JDK measured; between 17 and 25 BC keeps the job,
 * never the slow choice by much). RSA stays with the platform, which is as fast and is where
 * hardware-backed RSA keys live. Keys Bouncy Castle cannot read fall back to the platform.
 */
final class SignatureProviders {
    /** "auto" (default), "jdk" or "bc". */
    static final String PROPERTY = "tlsaccel.sig";
    private static final int JDK_SIGNS_P256_FROM = 25;

    private SignatureProviders() {
    }

    /** The provider to sign with; null means the platform's default lookup. */
    static Provider forSigning(SignatureScheme scheme) {
        boolean jdkFaster = scheme.isRsa()
                || (scheme.isEcdsaP256() && Runtime.version().feature() >= JDK_SIGNS_P256_FROM);
        return choose(jdkFaster);
    }

    /** The provider to verify with; null means the platform's default lookup. */
    static Provider forVerifying(SignatureScheme scheme) {
        return choose(scheme.isRsa());
    }

    private static Provider choose(boolean jdkFaster) {
        Provider bc = BouncyCastle.provider();
        return switch (mode()) {
            case "jdk" -> null;
            case "bc" -> bc;
            default -> jdkFaster ? null : bc;
        };
    }

    private static String mode() {
        return System.getProperty(PROPERTY, "auto").toLowerCase(Locale.ROOT);
    }
}
