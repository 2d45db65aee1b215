package io.tlsaccel.tls.handshake;

import java.security.Provider;

/**
 * One private Bouncy Castle provider instance for the handshake's key exchange and signatures.
 * It is not installed in {@link java.security.Security}: the application's provider list stays
 * as the user set it.
 */
final class BouncyCastle {
    private static final Provider PROVIDER = load();

    private BouncyCastle() {
    }

    /** The provider, or null when Bouncy Castle is not on the class path. */
    static Provider provider() {
        return PROVIDER;
    }

    private static Provider load() {
        try {
            return (Provider) Class.forName("org.bouncycastle.jce.provider.BouncyCastleProvider")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}
