package io.tlsaccel.testutil;

import io.tlsaccel.tls.engine.TlsContextSpi;
import java.security.Provider;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/** SSLContexts for tests: ours (without registering a provider) and SunJSSE's. */
public final class Contexts {
    private static final Provider TEST_PROVIDER = new Provider("TlsAccelTest", "0.1", "test only") {
        private static final long serialVersionUID = 1L;
    };

    private Contexts() {
    }

    public static SSLContext ours(KeyManager[] km, TrustManager[] tm) {
        try {
            SSLContext c = new SSLContext(new TlsContextSpi.Tls13(), TEST_PROVIDER, "TLSv1.3") {
            };
            c.init(km, tm, new SecureRandom());
            return c;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static SSLContext jdk(KeyManager[] km, TrustManager[] tm) {
        try {
            SSLContext c = SSLContext.getInstance("TLSv1.3", "SunJSSE");
            c.init(km, tm, new SecureRandom());
            return c;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
