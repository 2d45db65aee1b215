package io.tlsaccel.socket;

import io.tlsaccel.testutil.Contexts;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
import io.tlsaccel.testutil.TestPki.KeyType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** Our SSLContext's socket factories: a loopback echo, our server against a SunJSSE client too. */
class SocketTest {
    static final Credential CA = TestPki.newCa("Socket CA");

    @Test
    void loopbackEcho() throws Exception {
        Credential leaf = TestPki.issue(CA, KeyType.EC_P256, "localhost");
        SSLContext server = Contexts.ours(TestPki.keyManagers(leaf), TestPki.trustManagers(CA));
        for (boolean jdkClient : new boolean[] {false, true}) {
            SSLContext client = jdkClient ? Contexts.jdk(new KeyManager[0], TestPki.trustManagers(CA))
                    : Contexts.ours(new KeyManager[0], TestPki.trustManagers(CA));
            try (SSLServerSocket ss = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0)) {
                CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
                    try (SSLSocket s = (SSLSocket) ss.accept()) {
                        BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                        String line = r.readLine();
                        OutputStream o = s.getOutputStream();
                        o.write(("echo " + line + "\n").getBytes(StandardCharsets.UTF_8));
                        o.flush();
                        return s.getSession().getCipherSuite();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                try (SSLSocket c = (SSLSocket) client.getSocketFactory().createSocket("localhost", ss.getLocalPort())) {
                    SSLParameters p = c.getSSLParameters();
                    p.setEndpointIdentificationAlgorithm("HTTPS");
                    c.setSSLParameters(p);
                    PrintWriter w = new PrintWriter(c.getOutputStream(), true, StandardCharsets.UTF_8);
                    w.println("hi");
                    BufferedReader r = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
                    assertEquals("echo hi", r.readLine());
                    assertEquals("TLSv1.3", c.getSession().getProtocol());
                }
                assertEquals("TLS_AES_128_GCM_SHA256", served.get(20, TimeUnit.SECONDS));
            }
        }
    }
}
