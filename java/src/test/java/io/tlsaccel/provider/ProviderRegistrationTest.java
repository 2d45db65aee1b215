package io.tlsaccel.provider;

import io.tlsaccel.testutil.EnginePair;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
import io.tlsaccel.testutil.TestPki.KeyType;
import io.tlsaccel.tls.engine.TlsEngine;
import java.security.Provider;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

/** The SSLContextSpi classes as a JCA provider instantiates them (by name, no-arg constructor). */
class ProviderRegistrationTest {

    static final class TestProvider extends Provider {
        private static final long serialVersionUID = 1L;

        TestProvider() {
            super("TlsAccelRegistrationTest", "0.1", "registration test");
            put("SSLContext.TLS", "io.tlsaccel.tls.engine.TlsContextSpi$Tls");
            put("SSLContext.TLSv1.3", "io.tlsaccel.tls.engine.TlsContextSpi$Tls13");
        }
    }

    @Test
    void contextsByName() throws Exception {
        Provider p = new TestProvider();
        Credential ca = TestPki.newCa("Registration CA");
        Credential leaf = TestPki.issue(ca, KeyType.ED25519, "localhost");
        for (String name : new String[] {"TLS", "TLSv1.3"}) {
            SSLContext server = SSLContext.getInstance(name, p);
            server.init(TestPki.keyManagers(leaf), TestPki.trustManagers(ca), null);
            SSLContext client = SSLContext.getInstance(name, p);
            client.init(null, TestPki.trustManagers(ca), null);
            SSLEngine c = client.createSSLEngine("localhost", 443);
            assertTrue(c instanceof TlsEngine);
            c.setUseClientMode(true);
            SSLEngine s = server.createSSLEngine();
            s.setUseClientMode(false);
            EnginePair pair = new EnginePair(c, s);
            pair.handshake();
            assertNull(pair.client.error);
            assertNull(pair.server.error);
            assertEquals("TLSv1.3", c.getSession().getProtocol());
            assertEquals("TLSv1.3", server.getDefaultSSLParameters().getProtocols()[0]);
        }
    }
}
