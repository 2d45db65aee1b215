package io.tlsaccel.integration;

import io.tlsaccel.jetty.JettyTestServer;
import io.tlsaccel.provider.TlsAccelProvider;
import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
import java.security.KeyStore;
import java.security.SecureRandom;
import javax.net.ssl.SSLContext;

/** The servers under test, each on our provider with one TLS version enabled. */
enum ServerKind {
    JETTY {
        @Override
        TestServer start(Credential leaf, String tlsVersion) throws Exception {
            JettyTestServer jetty = JettyTestServer.start(ourContext(leaf), tlsVersion);
            return new TestServer() {
                @Override
                public int port() {
                    return jetty.port();
                }

                @Override
                public boolean speaksH2() {
                    return true;
                }

                @Override
                public void close() throws Exception {
                    jetty.close();
                }
            };
        }
    },
    TOMCAT {
        @Override
        TestServer start(Credential leaf, String tlsVersion) throws Exception {
            return TomcatTestServer.start(leaf, tlsVersion);
        }
    },
    NETTY {
        @Override
        TestServer start(Credential leaf, String tlsVersion) throws Exception {
            return NettyTestServer.start(leaf, tlsVersion);
        }
    };

    abstract TestServer start(Credential leaf, String tlsVersion) throws Exception;

    static final char[] KEY_PASSWORD = "changeit".toCharArray();

    /** The server's key and chain in a PKCS#12 key store, for stacks that take a KeyStore. */
    static KeyStore keyStore(Credential leaf) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", leaf.keyPair().getPrivate(), KEY_PASSWORD, leaf.chain());
        return ks;
    }

    static SSLContext ourContext(Credential leaf) throws Exception {
        TlsAccelProvider.install();
        SSLContext c = SSLContext.getInstance("TLS", TlsAccelProvider.NAME);
        c.init(TestPki.keyManagers(leaf), null, new SecureRandom());
        return c;
    }
}
