package io.tlsaccel.integration;

import io.tlsaccel.jetty.JettyTestServer;
import io.tlsaccel.provider.TlsAccelProvider;
import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
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
            return NettyTestServer.start(ourContext(leaf), tlsVersion);
        }
    };

    abstract TestServer start(Credential leaf, String tlsVersion) throws Exception;

    static SSLContext ourContext(Credential leaf) throws Exception {
        TlsAccelProvider.install();
        SSLContext c = SSLContext.getInstance("TLS", TlsAccelProvider.NAME);
        c.init(TestPki.keyManagers(leaf), null, new SecureRandom());
        return c;
    }
}
