package io.tlsaccel.tls.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
import io.tlsaccel.testutil.TestPki.KeyType;
import io.tlsaccel.testutil.Contexts;
import io.tlsaccel.testutil.EnginePair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/** Plain X509TrustManagers still get endpoint identification. */
class TrustManagerAdapterTest {
    static final Credential CA = TestPki.newCa("Adapter CA");

    @Test
    void wildcardRules() throws Exception {
        assertTrue(TrustManagerAdapter.dnsMatches("a.example.com", "*.example.com"));
        assertFalse(TrustManagerAdapter.dnsMatches("a.b.example.com", "*.example.com"));
        assertFalse(TrustManagerAdapter.dnsMatches("example.com", "*.example.com"));
        assertFalse(TrustManagerAdapter.dnsMatches("a.com", "*.com"));
        assertTrue(TrustManagerAdapter.dnsMatches("localhost", "localhost"));
        X509Certificate c = TestPki.issue(CA, KeyType.EC_P256, "localhost", "*.example.org").certificate();
        TrustManagerAdapter.checkHost("www.example.org", c);
        TrustManagerAdapter.checkHost("LOCALHOST", c);
        assertThrows(CertificateException.class, () -> TrustManagerAdapter.checkHost("example.org", c));
        assertThrows(CertificateException.class, () -> TrustManagerAdapter.checkHost("127.0.0.1", c));
    }

    private static TrustManager[] plain() {
        X509TrustManager pkix = (X509TrustManager) TestPki.trustManagers(CA)[0];
        return new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                pkix.checkClientTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                pkix.checkServerTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return pkix.getAcceptedIssuers();
            }
        }};
    }

    private static EnginePair pair(String host) {
        SSLEngine c = Contexts.ours(new KeyManager[0], plain()).createSSLEngine(host, 443);
        c.setUseClientMode(true);
        SSLParameters p = c.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        c.setSSLParameters(p);
        Credential leaf = TestPki.issue(CA, KeyType.EC_P256, "localhost");
        SSLEngine s = Contexts.ours(TestPki.keyManagers(leaf), TestPki.trustManagers(CA)).createSSLEngine();
        s.setUseClientMode(false);
        return new EnginePair(c, s);
    }

    @Test
    void plainTrustManagerRightHost() throws Exception {
        EnginePair p = pair("localhost");
        p.handshake();
        assertNull(p.client.error);
        assertNull(p.server.error);
    }

    @Test
    void plainTrustManagerWrongHost() throws Exception {
        EnginePair p = pair("other.example");
        p.handshake();
        assertTrue(p.client.error.getMessage().contains("certificate_unknown"), p.client.error.getMessage());
        assertTrue(p.server.error.getMessage().contains("Received fatal alert: certificate_unknown"));
    }
}
