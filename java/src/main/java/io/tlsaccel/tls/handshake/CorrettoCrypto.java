package io.tlsaccel.tls.handshake;

import java.security.Provider;

/**
 * Amazon Corretto Crypto Provider (ACCP, AWS-LC underneath) when the application has it on the
 * class path: an optional dependency, looked up by name and never installed in
 * {@link java.security.Security}, so the application's provider list stays as it set it.
 * ACCP ships for Linux x86_64 and aarch64 only; anywhere else, or when its native library
 * fails to load or its self-tests fail, it reports a loading error and we do without it.
 */
final class CorrettoCrypto {
    private static final String CLASS = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";
    private static final Loaded LOADED = load();

    private record Loaded(Provider provider, String status) {
    }

    private CorrettoCrypto() {
    }

    /** The provider, or null when it is absent or unusable here. */
    static Provider provider() {
        return LOADED.provider();
    }

    /** Why it is used or not, for {@code info}. */
    static String status() {
        return LOADED.status();
    }

    private static Loaded load() {
        if ("false".equalsIgnoreCase(System.getProperty("tlsaccel.accp"))) {
            return new Loaded(null, "turned off (-Dtlsaccel.accp=false)");
        }
        Class<?> c;
        try {
            c = Class.forName(CLASS);
        } catch (ClassNotFoundException | LinkageError e) {
            return new Loaded(null, "not on the class path");
        }
        try {
            Provider p = (Provider) c.getField("INSTANCE").get(null);
            Object error = c.getMethod("getLoadingError").invoke(p);
            if (error != null) {
                return new Loaded(null, "on the class path but unusable here: " + error);
            }
            return new Loaded(p, p.getName() + " " + p.getVersionStr());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return new Loaded(null, "on the class path but unusable here: " + e);
        }
    }
}
