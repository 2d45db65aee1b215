package io.tlsaccel.cli;

import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.Backends;
import io.tlsaccel.tls.policy.DisabledAlgorithms;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code demo}, the main job: a server and a client in this process on loopback, with
 * certificates made on the spot by a throwaway CA and mutual authentication on; shows the
 * handshake, then moves data both ways and reports the throughput and the backend.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "TLS server and client in one process: handshake with mutual auth, then bulk data both ways.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--backend", description = "auto, native or java (default: as tlsaccel.backend says, else auto).")
    String backend;

    @Option(names = "--mib", defaultValue = "256", description = "MiB to move each way (default ${DEFAULT-VALUE}).")
    int mib;

    @Option(names = "--tls", defaultValue = "TLSv1.3", description = "Protocol version (default ${DEFAULT-VALUE}).")
    String version;

    @Option(names = "--suite", description = "Cipher suite (default: the engine's first choice).")
    String suite;

    @Option(names = "--tls12", description = "TLS 1.2 with ECDHE, showing the ten classic handshake steps.")
    boolean tls12;

    @Option(names = "--tls12-rsa", description = "TLS 1.2 with RSA key transport (the pre-master secret "
            + "encrypted to the server's RSA key; no forward secrecy), showing the ten steps.")
    boolean tls12Rsa;

    @Option(names = "--compare-seconds", defaultValue = "5", description = "Then the same handshakes and transfers "
            + "on our engine and on SunJSSE side by side, this many seconds of handshakes each (0: skip; default ${DEFAULT-VALUE}).")
    double compareSeconds;

    @Option(names = "--compare-mib", defaultValue = "256", description = "MiB each way in the comparison (1-65535, default ${DEFAULT-VALUE}).")
    int compareMib;

    @Option(names = "--provider", hidden = true, defaultValue = "TlsAccel")
    String provider;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (backend != null) {
            System.setProperty(Backends.PROPERTY, backend); // before anything asks for the backend
        }
        PrintWriter out = spec.commandLine().getOut();
        if (tls12 || tls12Rsa) {
            version = "TLSv1.2";
            if (tls12Rsa && suite == null) {
                suite = "TLS_RSA_WITH_AES_128_GCM_SHA256";
            }
        }
        if (tls12Rsa) {
            allowForThisDemo(suite, out);
        }
        boolean steps = version.equals("TLSv1.2");
        out.println("tlsaccel demo: " + version + " server and client on loopback, mutual authentication");
        out.println("record crypto: " + Backends.selected().implementation(AeadAlgorithm.AES_128_GCM)
                + " (" + Backends.selection().reason() + ")");

        // A throwaway CA issues the server's and the client's certificates.
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair caKeys = g.generateKeyPair();
        X509Certificate ca = Pki.issue("tlsaccel demo CA", caKeys, caKeys.getPrivate(), null, true);
        KeyPair serverKeys = g.generateKeyPair();
        if (tls12Rsa) { // RSA key transport needs an RSA server key to encrypt the pre-master secret to
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            serverKeys = rsa.generateKeyPair();
        }
        KeyPair clientKeys = g.generateKeyPair();
        Pki.Identity server = new Pki.Identity(serverKeys.getPrivate(),
                List.of(Pki.issue("localhost", serverKeys, caKeys.getPrivate(), ca, false, "localhost", "127.0.0.1"), ca));
        Pki.Identity client = new Pki.Identity(clientKeys.getPrivate(),
                List.of(Pki.issue("demo client", clientKeys, caKeys.getPrivate(), ca, false), ca));

        TlsOptions tls = new TlsOptions();
        tls.provider = provider;
        SSLContext serverCtx = tls.context(Pki.keyManagers(List.of(server)), Pki.trustManagers(List.of(ca), List.of()));
        SSLContext clientCtx = tls.context(Pki.keyManagers(List.of(client)), Pki.trustManagers(List.of(ca), List.of()));

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (SSLServerSocket listener = SideBySide.listen(serverCtx, version, suite)) {
            long t0 = System.nanoTime();
            Future<SSLSocket> accepted = pool.submit(() -> {
                SSLSocket s = (SSLSocket) listener.accept();
                HandshakePrinter.attach(s, new HandshakePrinter("server", System.out, t0, steps));
                s.startHandshake();
                return s;
            });

            SSLSocket c = (SSLSocket) clientCtx.getSocketFactory().createSocket("localhost", listener.getLocalPort());
            SSLParameters cp = c.getSSLParameters();
            cp.setEndpointIdentificationAlgorithm("HTTPS");
            cp.setProtocols(new String[] {version});
            c.setSSLParameters(cp);
            out.println("handshake (each step as it happens; time since start, +time since the previous step):");
            out.flush();
            if (suite != null) {
                cp.setCipherSuites(new String[] {suite});
                c.setSSLParameters(cp);
            }
            HandshakePrinter.attach(c, new HandshakePrinter("client", System.out, t0, steps));
            c.startHandshake();
            SSLSocket s = accepted.get(30, TimeUnit.SECONDS);
            out.printf("handshake complete in %.2f ms%n", (System.nanoTime() - t0) / 1e6);
            out.println("client sees:");
            out.flush();
            ClientCommand.describe(c.getSession(), c.getApplicationProtocol(), System.out);
            out.println("server sees client " + ((X509Certificate) s.getSession().getPeerCertificates()[0])
                    .getSubjectX500Principal());

            if (steps) {
                out.println("step 10  application data flows under the negotiated keys, every record sealed"
                        + " and checked (AEAD)");
            }
            long total = (long) mib << 20;
            AtomicLong received = new AtomicLong();
            long start = System.nanoTime();
            List<Future<Long>> jobs = List.of(
                    pool.submit(() -> send(c.getOutputStream(), total)),
                    pool.submit(() -> send(s.getOutputStream(), total)),
                    pool.submit(() -> receive(s.getInputStream(), total, received)),
                    pool.submit(() -> receive(c.getInputStream(), total, received)));
            while (!jobs.get(2).isDone() || !jobs.get(3).isDone()) {
                progress(received.get(), 2 * total);
                Thread.sleep(100);
            }
            for (Future<Long> f : jobs) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            progress(2 * total, 2 * total);
            System.err.println();
            out.printf("moved %d MiB each way in %.2f s: %.0f MB/s in total (%.0f MB/s each way)%n", mib, seconds,
                    2 * total / seconds / 1e6, total / seconds / 1e6);
            out.println("cipher suite " + c.getSession().getCipherSuite() + ", record crypto "
                    + Backends.selected().implementation(AeadAlgorithm.AES_128_GCM));
            c.close();
            s.close();
            secondConnection(listener, clientCtx, out, pool);
        } finally {
            pool.shutdownNow();
        }
        if (compareSeconds > 0 && !tls12Rsa) {
            out.println();
            out.println("comparing with SunJSSE (the JDK's engine) ...");
            out.flush();
            SideBySide compare = new SideBySide(server, client, ca, version, suite);
            SideBySide.Figures ours = compare.measure(provider, compareSeconds, compareMib);
            SideBySide.Figures theirs = compare.measure("SunJSSE", compareSeconds, compareMib);
            SideBySide.print(out, ours, theirs, version, compareSeconds, compareMib);
        }
        out.flush();
        return 0;
    }

    /**
     * A second connection from the same client context: it resumes the first one's session
     * (RFC 8446 2.2 / RFC 5246 7.3), so neither side sends or checks a certificate again.
     */
    private void secondConnection(SSLServerSocket listener, SSLContext clientCtx, PrintWriter out, ExecutorService pool)
            throws Exception {
        long t0 = System.nanoTime();
        Future<SSLSocket> accepted = pool.submit(() -> {
            SSLSocket s = (SSLSocket) listener.accept();
            s.startHandshake();
            return s;
        });
        try (SSLSocket c = (SSLSocket) clientCtx.getSocketFactory().createSocket("localhost", listener.getLocalPort())) {
            SSLParameters cp = c.getSSLParameters();
            cp.setEndpointIdentificationAlgorithm("HTTPS");
            cp.setProtocols(new String[] {version});
            if (suite != null) {
                cp.setCipherSuites(new String[] {suite});
            }
            c.setSSLParameters(cp);
            c.startHandshake();
            try (SSLSocket s = accepted.get(30, TimeUnit.SECONDS)) {
                out.printf("second connection: handshake %.2f ms, resumed: %s (client), %s (server)%n",
                        (System.nanoTime() - t0) / 1e6, ClientCommand.resumed(c.getSession()),
                        ClientCommand.resumed(s.getSession()));
            }
        }
    }

    private static long send(OutputStream out, long total) throws Exception {
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) (i * 31);
        }
        long sent = 0;
        while (sent < total) {
            int n = (int) Math.min(chunk.length, total - sent);
            out.write(chunk, 0, n);
            sent += n;
        }
        out.flush();
        return sent;
    }

    private static long receive(InputStream in, long total, AtomicLong progress) throws Exception {
        byte[] buf = new byte[64 * 1024];
        long got = 0;
        while (got < total) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, total - got));
            if (n < 0) {
                throw new java.io.EOFException("peer closed after " + got + " bytes");
            }
            got += n;
            progress.addAndGet(n);
        }
        return got;
    }

    static void progress(long done, long total) {
        int width = 40;
        int filled = (int) (width * done / Math.max(1, total));
        System.err.printf("\r[%s%s] %3d%%", "#".repeat(filled), " ".repeat(width - filled), 100 * done / Math.max(1, total));
        System.err.flush();
    }

    /**
     * JDK 24 and later disable TLS_RSA_* in jdk.tls.disabledAlgorithms (no forward secrecy), and
     * our provider honours that list. The demo takes the suite out of this process's list before
     * it makes its contexts (our provider reads the list per SSLContext), and says so.
     */
    private static void allowForThisDemo(String suite, PrintWriter out) {
        if (DisabledAlgorithms.tls().permitsCipherSuite(suite)) {
            return;
        }
        String kept = Arrays.stream(Security.getProperty(DisabledAlgorithms.TLS_PROPERTY).split(","))
                .map(String::trim)
                .filter(e -> !e.isEmpty() && !e.equalsIgnoreCase(suite) && !e.toUpperCase(Locale.ROOT).startsWith("TLS_RSA_"))
                .collect(Collectors.joining(", "));
        Security.setProperty(DisabledAlgorithms.TLS_PROPERTY, kept);
        out.println("note: this JDK's " + DisabledAlgorithms.TLS_PROPERTY + " disables " + suite
                + " (no forward secrecy); the demo enables it for itself");
    }
}
