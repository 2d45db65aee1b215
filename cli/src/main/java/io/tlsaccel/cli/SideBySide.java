package io.tlsaccel.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The demo's comparison: the same full handshakes (mutual authentication, no resumption) and
 * the same transfers each way, on one provider at a time, over loopback, each provider warmed
 * up first with the same work untimed. What the demo prints side by side with the ratio.
 */
final class SideBySide {
    /** What one provider did: full handshakes per second and MB/s each way. */
    record Figures(String provider, double handshakesPerSecond, double clientToServer, double serverToClient) {
    }

    private final Pki.Identity server;
    private final Pki.Identity client;
    private final X509Certificate ca;
    private final String version;
    private final String suite;

    SideBySide(Pki.Identity server, Pki.Identity client, X509Certificate ca, String version, String suite) {
        this.server = server;
        this.client = client;
        this.ca = ca;
        this.version = version;
        this.suite = suite;
    }

    Figures measure(String provider, double seconds, int mib) throws Exception {
        TlsOptions tls = new TlsOptions();
        tls.provider = provider;
        // SunX509 key managers read the keys once (a PKIX one would run PBKDF2 per handshake).
        SSLContext serverCtx = tls.context(Pki.keyManagers(List.of(server), "SunX509"), Pki.trustManagers(List.of(ca), List.of()));
        SSLContext clientCtx = tls.context(Pki.keyManagers(List.of(client), "SunX509"), Pki.trustManagers(List.of(ca), List.of()));
        try (SSLServerSocket listener = listen(serverCtx, version, suite)) {
            Thread serving = new Thread(() -> serve(listener), "side-by-side-server");
            serving.setDaemon(true);
            serving.start();
            Client c = new Client(clientCtx, listener.getLocalPort());
            c.handshakes(Math.min(1.0, seconds)); // warm-up, untimed
            c.transfer('u', Math.min(mib, 16));
            c.transfer('d', Math.min(mib, 16));
            double hs = c.handshakes(seconds);
            double up = c.transfer('u', mib);
            double down = c.transfer('d', mib);
            c.stop();
            serving.join(5000);
            return new Figures(provider, hs, up, down);
        }
    }

    /** The demo's listener: loopback, any free port, client certificates required, the given version (and suite). */
    static SSLServerSocket listen(SSLContext serverCtx, String version, String suite) throws java.io.IOException {
        SSLServerSocket listener = (SSLServerSocket) serverCtx.getServerSocketFactory()
                .createServerSocket(0, 64, InetAddress.getLoopbackAddress());
        SSLParameters sp = listener.getSSLParameters();
        sp.setNeedClientAuth(true);
        sp.setProtocols(new String[] {version});
        if (suite != null) {
            sp.setCipherSuites(new String[] {suite});
        }
        listener.setSSLParameters(sp);
        return listener;
    }

    /** One connection at a time: after the handshake a byte says what to do (h: nothing, u: take, d: send, q: stop). */
    private static void serve(SSLServerSocket listener) {
        byte[] buf = new byte[64 * 1024];
        while (true) {
            try (SSLSocket s = (SSLSocket) listener.accept()) {
                s.setTcpNoDelay(true); // small handshake flights must not wait for delayed ACKs
                s.startHandshake();
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                int op = in.read();
                if (op == 'q' || op < 0) {
                    if (op == 'q') {
                        return;
                    }
                    continue;
                }
                if (op == 'u' || op == 'd') {
                    long n = (long) ((in.read() & 0xff) << 8 | (in.read() & 0xff)) << 20; // MiB, two bytes
                    if (op == 'u') {
                        long got = 0;
                        int r;
                        while (got < n && (r = in.read(buf)) > 0) {
                            got += r;
                        }
                        out.write(1);
                    } else {
                        for (long sent = 0; sent < n; sent += buf.length) {
                            out.write(buf, 0, (int) Math.min(buf.length, n - sent));
                        }
                    }
                    out.flush();
                }
            } catch (Exception e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    /** The client side, fresh connections each time (no host given: nothing is resumed). */
    private static final class Client {
        private final SSLContext ctx;
        private final int port;

        Client(SSLContext ctx, int port) {
            this.ctx = ctx;
            this.port = port;
        }

        private SSLSocket connect() throws Exception {
            Socket raw = new Socket(InetAddress.getLoopbackAddress(), port);
            raw.setTcpNoDelay(true);
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(raw, null, port, true);
            s.startHandshake();
            return s;
        }

        /** Sequential full handshakes for {@code seconds}: handshakes per second. */
        double handshakes(double seconds) throws Exception {
            long end = System.nanoTime() + (long) (seconds * 1e9);
            long start = System.nanoTime();
            int n = 0;
            while (System.nanoTime() < end) {
                try (SSLSocket s = connect()) {
                    s.getOutputStream().write('h');
                    s.getOutputStream().flush();
                }
                n++;
            }
            return n / ((System.nanoTime() - start) / 1e9);
        }

        /** 'u': we send {@code mib} MiB; 'd': we receive them. MB/s (10^6 bytes of plaintext per second). */
        double transfer(char op, int mib) throws Exception {
            byte[] buf = new byte[64 * 1024];
            long n = (long) mib << 20;
            try (SSLSocket s = connect()) {
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                long start = System.nanoTime();
                out.write(op);
                out.write(mib >>> 8);
                out.write(mib);
                if (op == 'u') {
                    for (long sent = 0; sent < n; sent += buf.length) {
                        out.write(buf, 0, (int) Math.min(buf.length, n - sent));
                    }
                    out.flush();
                    in.read(); // the server has it all
                } else {
                    out.flush();
                    long got = 0;
                    int r;
                    while (got < n && (r = in.read(buf)) > 0) {
                        got += r;
                    }
                }
                return n / ((System.nanoTime() - start) / 1e9) / 1e6;
            }
        }

        void stop() throws Exception {
            try (SSLSocket s = connect()) {
                s.getOutputStream().write('q');
                s.getOutputStream().flush();
            }
        }
    }

    static void print(PrintWriter out, Figures ours, Figures theirs, String version, double seconds, int mib) {
        out.printf(Locale.ROOT, "side by side (%s, full handshakes with mutual authentication for %.0f s, %d MiB each way; "
                + "each provider warmed up first):%n", version, seconds, mib);
        out.printf(Locale.ROOT, "  %-22s %12s %12s %8s%n", "", ours.provider(), theirs.provider(), "ratio");
        row(out, "full handshakes/s", ours.handshakesPerSecond(), theirs.handshakesPerSecond());
        row(out, "MB/s client -> server", ours.clientToServer(), theirs.clientToServer());
        row(out, "MB/s server -> client", ours.serverToClient(), theirs.serverToClient());
    }

    private static void row(PrintWriter out, String what, double ours, double theirs) {
        out.printf(Locale.ROOT, "  %-22s %,12.0f %,12.0f %7.2fx%n", what, ours, theirs, ours / theirs);
    }
}
