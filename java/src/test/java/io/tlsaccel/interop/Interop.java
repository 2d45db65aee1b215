package io.tlsaccel.interop;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/** In-process servers for interop tests. */
final class Interop {
    private Interop() {
    }

    /** What one served connection saw; {@code resumed}: it resumed an earlier session (our engine only). */
    record Served(String protocol, String suite, Certificate[] peerChain, Exception error, boolean resumed) {
        Served(String protocol, String suite, Certificate[] peerChain, Exception error) {
            this(protocol, suite, peerChain, error, false);
        }
    }

    static SSLServerSocket listen(SSLContext ctx, boolean needClientAuth) throws Exception {
        SSLServerSocket ss = (SSLServerSocket) ctx.getServerSocketFactory()
                .createServerSocket(0, 8, InetAddress.getByName("127.0.0.1"));
        SSLParameters p = ss.getSSLParameters();
        p.setNeedClientAuth(needClientAuth);
        ss.setSSLParameters(p);
        return ss;
    }

    /**
     * Accepts one connection on a daemon thread: reads a line, answers {@code pong SUITE LINE},
     * closes. Failures are returned in {@link Served#error}.
     */
    static CompletableFuture<Served> serveOnePong(SSLServerSocket ss) {
        CompletableFuture<Served> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            String protocol = null;
            String suite = null;
            Certificate[] peer = null;
            try (SSLSocket s = (SSLSocket) ss.accept()) {
                s.setSoTimeout(15_000);
                s.startHandshake();
                protocol = s.getSession().getProtocol();
                suite = s.getSession().getCipherSuite();
                try {
                    peer = s.getSession().getPeerCertificates();
                } catch (SSLPeerUnverifiedException none) {
                    peer = null;
                }
                BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                String line = r.readLine();
                OutputStream o = s.getOutputStream();
                o.write(("pong " + suite + " " + line + "\n").getBytes(StandardCharsets.UTF_8));
                o.flush();
                f.complete(new Served(protocol, suite, peer, null,
                        s.getSession() instanceof io.tlsaccel.tls.engine.TlsSession ts && ts.isResumed()));
            } catch (Exception e) {
                f.complete(new Served(protocol, suite, peer, e));
            }
        }, "interop-server");
        t.setDaemon(true);
        t.start();
        return f;
    }
}
