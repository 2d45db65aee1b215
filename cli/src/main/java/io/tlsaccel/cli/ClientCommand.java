package io.tlsaccel.cli;

import io.tlsaccel.tls.engine.TlsSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.Callable;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code client HOST:PORT}: a TLS connection whose peer is always checked (chain and host
 * name, through the standard trust manager's endpoint identification); then standard input
 * goes to the peer and what comes back to standard output.
 */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = "Connect, check the server, then copy stdin to the connection and the replies to stdout.")
final class ClientCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "HOST:PORT")
    String target;

    @Option(names = "--servername", description = "Name sent in SNI and checked against the certificate (default: HOST).")
    String serverName;

    @Option(names = {"-v", "--verbose"}, description = "Print the handshake as it happens and the session it made.")
    boolean verbose;

    @Option(names = "--reconnect", paramLabel = "N", description = "Connect N more times after the first (handshake "
            + "only, nothing sent) and report which connections resumed the session.")
    int reconnect;

    @Option(names = "--alpn", split = ",", description = "Application protocols to offer, e.g. h2,http/1.1.")
    List<String> alpn = List.of();

    @Mixin
    TlsOptions tls;

    @Override
    public Integer call() throws Exception {
        int colon = target.lastIndexOf(':');
        if (colon <= 0) {
            System.err.println("expected HOST:PORT, got " + target);
            return 2;
        }
        String host = target.substring(0, colon);
        int port = Integer.parseInt(target.substring(colon + 1));
        String name = serverName != null ? serverName : host;

        TrustManager[] tm = tls.cas.isEmpty() ? null : Pki.trustManagers(tls.anchors(), tls.revocations());
        var ids = tls.identities();
        SSLContext ctx = tls.context(ids.isEmpty() ? null : Pki.keyManagers(ids), tm);
        if (reconnect > 0) {
            return reconnect(ctx, host, port, name);
        }

        long t0 = System.nanoTime();
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(host, port), 10_000);
        } catch (IOException e) {
            System.err.println("cannot connect to " + host + ":" + port + ": " + e.getMessage());
            plain.close();
            return 1;
        }
        if (verbose) {
            System.err.printf("[%7.2f ms] TCP connected to %s:%d%n", ms(t0), host, port);
        }
        SSLSocketFactory f = ctx.getSocketFactory();
        SSLSocket s = (SSLSocket) f.createSocket(plain, name, port, true);
        SSLParameters p = s.getSSLParameters();
        tls.apply(p);
        p.setEndpointIdentificationAlgorithm("HTTPS"); // the host name is always checked
        if (!name.matches("[0-9.:\\[\\]]+")) {
            p.setServerNames(List.of(new SNIHostName(name)));
        }
        if (!alpn.isEmpty()) {
            p.setApplicationProtocols(alpn.toArray(new String[0]));
        }
        s.setSSLParameters(p);
        if (verbose && !HandshakePrinter.attach(s, new HandshakePrinter("client", System.err, t0))) {
            System.err.println("(provider " + tls.provider + ": handshake steps not shown)");
        }
        try {
            s.startHandshake();
        } catch (SSLException e) {
            System.err.println("handshake failed: " + e.getMessage());
            s.close();
            return 1;
        }
        if (verbose) {
            System.err.printf("[%7.2f ms] handshake complete%n", ms(t0));
            describe(s.getSession(), s.getApplicationProtocol(), System.err);
        }
        return copy(s);
    }

    /**
     * {@code --reconnect N}: N + 1 handshakes with one SSLContext, so each may resume the
     * session of the one before. After each, a short read picks up the tickets a TLS 1.3
     * server sends once the handshake is done.
     */
    private int reconnect(SSLContext ctx, String host, int port, String name) throws IOException {
        int resumed = 0;
        for (int i = 0; i <= reconnect; i++) {
            long t0 = System.nanoTime();
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(host, port)) {
                SSLParameters p = s.getSSLParameters();
                tls.apply(p);
                p.setEndpointIdentificationAlgorithm("HTTPS");
                if (!name.matches("[0-9.:\\[\\]]+")) {
                    p.setServerNames(List.of(new SNIHostName(name)));
                }
                s.setSSLParameters(p);
                s.startHandshake();
                double handshakeMs = ms(t0);
                s.setSoTimeout(300);
                try {
                    s.getInputStream().read(new byte[1]);
                } catch (java.net.SocketTimeoutException quiet) {
                    // nothing more from the server: the tickets, if any, have arrived
                }
                String r = resumed(s.getSession());
                resumed += r.equals("yes") ? 1 : 0;
                System.out.printf("connection %d: %s, %s, resumed: %s, handshake %.1f ms%n", i + 1,
                        s.getSession().getProtocol(), s.getSession().getCipherSuite(), r, handshakeMs);
            } catch (SSLException e) {
                System.err.println("connection " + (i + 1) + ": handshake failed: " + e.getMessage());
                return 1;
            }
        }
        System.out.println(resumed + " of " + reconnect + " reconnections resumed");
        return 0;
    }

    /** "yes"/"no" on our provider; other providers do not say. */
    static String resumed(SSLSession session) {
        return session instanceof TlsSession t ? (t.isResumed() ? "yes" : "no") : "unknown (not the TlsAccel provider)";
    }

    /** stdin to the peer; at its end, close_notify (half-close) and read what remains. */
    private static int copy(SSLSocket s) throws Exception {
        java.util.concurrent.atomic.AtomicReference<IOException> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                InputStream in = s.getInputStream();
                byte[] buf = new byte[16384];
                int n;
                while ((n = in.read(buf)) > 0) {
                    System.out.write(buf, 0, n);
                    System.out.flush();
                }
            } catch (IOException e) {
                if (!s.isClosed()) {
                    failure.set(e);
                    System.err.println("connection: " + e.getMessage());
                }
            }
        }, "tlsaccel-client-reader");
        reader.start();
        OutputStream out = s.getOutputStream();
        byte[] buf = new byte[16384];
        int n;
        while ((n = System.in.read(buf)) > 0) {
            out.write(buf, 0, n);
            out.flush();
        }
        try {
            s.shutdownOutput(); // sends close_notify; the peer may still answer
        } catch (UnsupportedOperationException e) {
            s.close(); // no half-close on this socket: closing is the only way to say we are done
        } catch (IOException e) {
            // The peer may have closed already (it refused us, say): the reader is still
            // reading what it sent, so the socket stays open until the reader is done.
        }
        reader.join(30_000);
        s.close();
        return failure.get() == null ? 0 : 1; // e.g. the server refused us after the handshake
    }

    static void describe(SSLSession session, String alpn, PrintStream out) {
        out.println("  protocol:     " + session.getProtocol());
        out.println("  cipher suite: " + session.getCipherSuite());
        out.println("  resumed:      " + resumed(session));
        if (alpn != null && !alpn.isEmpty()) {
            out.println("  ALPN:         " + alpn);
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            out.println("  peer chain:");
            for (Certificate c : chain) {
                X509Certificate x = (X509Certificate) c;
                out.println("    " + x.getSubjectX500Principal() + "  (issuer " + x.getIssuerX500Principal()
                        + ", " + x.getPublicKey().getAlgorithm() + ", until " + x.getNotAfter().toInstant() + ")");
            }
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            out.println("  peer chain:   (none)");
        }
    }

    private static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }
}
