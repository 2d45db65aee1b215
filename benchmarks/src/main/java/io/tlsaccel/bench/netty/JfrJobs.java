package io.tlsaccel.bench.netty;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the handshake CPU goes, by job: reads JFR recordings made by {@code NettyHarness --jfr}
 * and sorts every CPU sample ({@code jdk.ExecutionSample}) of the server and client event-loop
 * threads, and every allocation sample ({@code jdk.ObjectAllocationSample}, by its weight in
 * bytes), into one job by the first rule, in the order of {@link #RULES}, that any frame of its
 * stack matches (so an ECDSA signature's SHA-256 counts as signing, a chain check's signature
 * as verifying). Prints a Markdown table of shares per end and both ends.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.tlsaccel.bench.netty.JfrJobs [--ops N] rec.jfr...
 * </pre>
 * {@code --ops}: the operations in the recordings, for allocated bytes per operation.
 */
public final class JfrJobs {

    /** A job and the frame prefixes ("package.Class.method") that put a sample in it. */
    record Rule(String job, List<String> prefixes) {
        boolean matches(String frame) {
            for (String p : prefixes) {
                if (frame.startsWith(p)) {
                    return true;
                }
            }
            return false;
        }
    }

    static final List<Rule> RULES = List.of(
            new Rule("key exchange (x25519 keygen, derive, key share coding)", List.of(
                    "io.tlsaccel.tls.handshake.NamedGroup.", "javax.crypto.KeyAgreement.",
                    "java.security.KeyPairGenerator.", "org.bouncycastle.math.ec.rfc7748.", "sun.security.ec.XDH",
                    "sun.security.ec.XECOperations")),
            new Rule("signing (CertificateVerify / ServerKeyExchange)", List.of(
                    "java.security.Signature.sign", "java.security.Signature$Delegate.engineSign")),
            new Rule("verifying (signatures: CertificateVerify, chain)", List.of(
                    "java.security.Signature.verify", "java.security.Signature$Delegate.engineVerify",
                    "sun.security.x509.X509CertImpl.verify", "java.security.cert.X509Certificate.verify")),
            new Rule("certificate parsing and chain checking", List.of(
                    "java.security.cert.CertificateFactory.", "sun.security.provider.X509Factory.",
                    "sun.security.x509.", "sun.security.provider.certpath.", "java.security.cert.CertPathValidator.",
                    "sun.security.validator.", "sun.security.ssl.X509TrustManagerImpl.", "sun.security.util.Der",
                    "io.tlsaccel.tls.handshake.PeerCertificates.", "io.tlsaccel.tls.engine.TrustManagerAdapter.")),
            new Rule("key schedule and hashing (HKDF, PRF, transcript, Finished)", List.of(
                    "io.tlsaccel.tls.handshake.KeySchedule.", "io.tlsaccel.tls.handshake.TranscriptHash.",
                    "io.tlsaccel.tls.handshake.Tls12Prf.", "io.tlsaccel.tls.record.PrfHash.", "javax.crypto.Mac.",
                    "java.security.MessageDigest.")),
            new Rule("record protection (handshake and ticket records)", List.of(
                    "io.tlsaccel.tls.record.", "io.tlsaccel.crypto.")),
            new Rule("message coding and handshake logic (ours)", List.of(
                    "io.tlsaccel.tls.message.", "io.tlsaccel.tls.handshake.", "io.tlsaccel.tls.engine.")),
            new Rule("Netty, sockets, JDK I/O", List.of("io.netty.", "sun.nio.", "java.nio.", "jdk.internal.misc.")));

    static final String OTHER = "other";

    private JfrJobs() {
    }

    public static void main(String[] args) throws IOException {
        long ops = 0;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--ops")) {
                ops = Long.parseLong(args[++i]);
            } else {
                files.add(Path.of(args[i]));
            }
        }
        if (files.isEmpty()) {
            System.err.println("usage: JfrJobs [--ops N] recording.jfr...");
            System.exit(2);
        }
        Map<String, double[]> cpu = table();
        Map<String, double[]> alloc = table();
        for (Path f : files) {
            for (RecordedEvent e : RecordingFile.readAllEvents(f)) {
                String type = e.getEventType().getName();
                boolean sample = type.equals("jdk.ExecutionSample");
                if (!sample && !type.equals("jdk.ObjectAllocationSample")) {
                    continue;
                }
                int end = end(e.getThread(sample ? "sampledThread" : "eventThread"));
                if (end < 0) {
                    continue;
                }
                String job = classify(e.getStackTrace());
                if (sample) {
                    cpu.get(job)[end] += 1;
                } else {
                    alloc.get(job)[end] += e.getLong("weight");
                }
            }
        }
        System.out.print(markdown("CPU samples", cpu, "samples", 1, 0));
        System.out.print(markdown("Allocated bytes (allocation samples, weighted)", alloc, "MB", 1e6, ops));
    }

    private static Map<String, double[]> table() {
        Map<String, double[]> t = new LinkedHashMap<>();
        for (Rule r : RULES) {
            t.put(r.job(), new double[2]);
        }
        t.put(OTHER, new double[2]);
        return t;
    }

    /** 0 for the server's event loop, 1 for the client's, -1 for any other thread. */
    private static int end(jdk.jfr.consumer.RecordedThread t) {
        String name = t == null ? null : t.getJavaName();
        if (name == null) {
            return -1;
        }
        return name.startsWith(Loopback.SERVER_THREAD) ? 0 : name.startsWith(Loopback.CLIENT_THREAD) ? 1 : -1;
    }

    static String classify(RecordedStackTrace stack) {
        if (stack == null) {
            return OTHER;
        }
        List<String> frames = new ArrayList<>();
        for (RecordedFrame f : stack.getFrames()) {
            frames.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
        }
        for (Rule r : RULES) {
            for (String frame : frames) {
                if (r.matches(frame)) {
                    return r.job();
                }
            }
        }
        return OTHER;
    }

    private static String markdown(String title, Map<String, double[]> t, String unit, double div, long ops) {
        double server = 0;
        double client = 0;
        for (double[] v : t.values()) {
            server += v[0];
            client += v[1];
        }
        StringBuilder sb = new StringBuilder("### ").append(title).append("\n\n| job | server | client | both |\n")
                .append("|---|---:|---:|---:|\n");
        for (Map.Entry<String, double[]> e : t.entrySet()) {
            double[] v = e.getValue();
            sb.append(String.format(Locale.ROOT, "| %s | %.1f%% | %.1f%% | %.1f%% |%n", e.getKey(),
                    pct(v[0], server), pct(v[1], client), pct(v[0] + v[1], server + client)));
        }
        sb.append(String.format(Locale.ROOT, "| total | %.0f %s | %.0f %s | %.0f %s |%n", server / div, unit,
                client / div, unit, (server + client) / div, unit));
        if (ops > 0 && div > 1) {
            sb.append(String.format(Locale.ROOT, "%nPer operation (%d operations): server %.1f KB, client %.1f KB%n",
                    ops, server / ops / 1e3, client / ops / 1e3));
        }
        return sb.append('\n').toString();
    }

    private static double pct(double part, double whole) {
        return whole == 0 ? 0 : 100 * part / whole;
    }
}
