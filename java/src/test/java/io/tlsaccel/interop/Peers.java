package io.tlsaccel.interop;

import static org.junit.jupiter.api.Assertions.fail;

import io.tlsaccel.provider.TlsAccelProvider;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Assumptions;

/**
 * Helpers for interop tests: finding the peer tools (skipped with a printed reason when absent,
 * a failure when {@code CI=true}), running them as bounded processes on 127.0.0.1, PEM files.
 */
final class Peers {
    static final String[] TLS13_SUITES = {
        "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"};

    private Peers() {
    }

    /** The absolute path of a tool on PATH; aborts (skips) the test if absent, fails on CI. */
    static String tool(String name) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        String reason = name + " is not installed (on Debian: apt-get install "
                + (name.startsWith("gnutls") ? "gnutls-bin" : "openssl") + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(reason + "; CI=true requires it");
        }
        System.out.println("SKIPPED: " + reason);
        Assumptions.abort(reason);
        return null;
    }

    /** Skips (never fails, even on CI) with a printed reason unless the condition holds. */
    static void require(boolean condition, String reason) {
        if (!condition) {
            System.out.println("SKIPPED: " + reason);
            Assumptions.abort(reason);
        }
    }

    /** Our provider's SSLContext (installed through the public API). */
    static SSLContext ours(String protocol, KeyManager[] km, TrustManager[] tm) throws Exception {
        TlsAccelProvider.install();
        SSLContext c = SSLContext.getInstance(protocol, TlsAccelProvider.NAME);
        c.init(km, tm, new SecureRandom());
        return c;
    }

    static SSLContext jdk(String protocol, KeyManager[] km, TrustManager[] tm) throws Exception {
        SSLContext c = SSLContext.getInstance(protocol, "SunJSSE");
        c.init(km, tm, new SecureRandom());
        return c;
    }

    /** Whether our provider offers TLS 1.2 (it is being added). */
    static boolean oursHasTls12() {
        try {
            TlsAccelProvider.install();
            SSLContext.getInstance("TLSv1.2", TlsAccelProvider.NAME);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    static Path writeCerts(Path file, X509Certificate... certs) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : certs) {
            sb.append(pem("CERTIFICATE", c.getEncoded()));
        }
        Files.writeString(file, sb, StandardCharsets.US_ASCII);
        return file;
    }

    /**
     * PKCS#8. EC keys get their public key inside (RFC 5915), as OpenSSL writes them: the JDK's
     * encoding leaves it out and GnuTLS then refuses the key.
     */
    static Path writeKey(Path file, KeyPair kp) throws Exception {
        byte[] der = kp.getPrivate().getEncoded();
        if (kp.getPrivate() instanceof ECPrivateKey ec) {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(der);
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded());
            org.bouncycastle.asn1.sec.ECPrivateKey inner = new org.bouncycastle.asn1.sec.ECPrivateKey(
                    ec.getParams().getOrder().bitLength(), ec.getS(), spki.getPublicKeyData(), null);
            der = new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), inner).getEncoded();
        }
        Files.writeString(file, pem("PRIVATE KEY", der), StandardCharsets.US_ASCII);
        return file;
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** A peer process: stdout and stderr merged and collected; always {@link #close}d. */
    static final class Proc implements AutoCloseable {
        final List<String> command;
        final Process process;
        private final StringBuffer output = new StringBuffer();
        private final Thread reader;

        Proc(List<String> command, Path dir) throws IOException {
            this.command = List.copyOf(command);
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            this.process = pb.start();
            this.reader = new Thread(() -> {
                try (InputStream in = process.getInputStream()) {
                    byte[] buf = new byte[8192];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        String s = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                        synchronized (output) {
                            output.append(s);
                            output.notifyAll();
                        }
                    }
                } catch (IOException ignored) {
                    // process gone
                }
            }, "peer-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Proc start(Path dir, String... command) throws IOException {
            return new Proc(List.of(command), dir);
        }

        String output() {
            return output.toString();
        }

        /** Waits until the output matches; returns the first group (or the whole match). */
        String await(Pattern p, long timeoutMillis) throws InterruptedException {
            long end = System.currentTimeMillis() + timeoutMillis;
            synchronized (output) {
                while (true) {
                    Matcher m = p.matcher(output);
                    if (m.find()) {
                        return m.groupCount() > 0 ? m.group(1) : m.group();
                    }
                    long left = end - System.currentTimeMillis();
                    if (left <= 0 || !process.isAlive() && !reader.isAlive()) {
                        throw new AssertionError("no " + p + " from " + String.join(" ", command)
                                + " within " + timeoutMillis + " ms; alive " + process.isAlive() + "; output:\n" + output);
                    }
                    output.wait(Math.min(left, 100));
                }
            }
        }

        /** Waits until the output contains s. */
        void awaitText(String s, long timeoutMillis) throws InterruptedException {
            await(Pattern.compile(Pattern.quote(s)), timeoutMillis);
        }

        /** Writes to the process's input; a process already gone is reported by what follows. */
        void send(String s) {
            try {
                OutputStream o = process.getOutputStream();
                o.write(s.getBytes(StandardCharsets.ISO_8859_1));
                o.flush();
            } catch (IOException gone) {
                synchronized (output) {
                    output.append("\n[test: could not write to the process: ").append(gone.getMessage()).append("]\n");
                }
            }
        }

        void closeInput() {
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // already gone
            }
        }

        /** Waits for the exit (bounded) and returns the code; the output is complete afterwards. */
        int waitFor(long timeoutMillis) throws InterruptedException {
            if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new AssertionError(String.join(" ", command) + " still running after " + timeoutMillis
                        + " ms; output:\n" + output);
            }
            reader.join(2000);
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
                reader.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        static List<String> args(String... fixed) {
            return new ArrayList<>(List.of(fixed));
        }
    }
}
