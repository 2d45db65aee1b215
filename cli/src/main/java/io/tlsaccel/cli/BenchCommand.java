package io.tlsaccel.cli;

import io.tlsaccel.Version;
import io.tlsaccel.crypto.Aead;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.Backend;
import io.tlsaccel.crypto.Backends;
import io.tlsaccel.crypto.MacAlgorithm;
import io.tlsaccel.crypto.java.JavaBackend;
import io.tlsaccel.crypto.jni.NativeBackend;
import io.tlsaccel.nativelib.NativeLoader;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: a quick measurement of every cipher path this machine has, for users with
 * only the jar (no JMH). Each path, algorithm and size gets a warm-up and a timed loop from
 * an equal share of {@code --seconds}; every path's output is first checked against SunJCE.
 * For careful numbers use the JMH suite (benchmarks/run.sh).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure each cipher path here (native auto, each native implementation, the Java "
                + "fallback, SunJCE, Bouncy Castle) without JMH: MB/s and the ratio to SunJCE.",
            "A rough guide (one JVM, short loops); the JMH suite in benchmarks/ gives careful numbers."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--seconds", defaultValue = "28", paramLabel = "S",
            description = "Total time for all measurements, set-up included "
                    + "(default ${DEFAULT-VALUE}: with the JVM's start, about 30 s).")
    private double seconds;

    @Option(names = "--algorithms", split = ",", paramLabel = "ALG",
            defaultValue = "aes-128-gcm,chacha20-poly1305,hmac-sha256",
            description = "Comma-separated: aes-128-gcm, aes-256-gcm, chacha20-poly1305, hmac-sha256, "
                    + "hmac-sha384 (default ${DEFAULT-VALUE}).")
    private List<String> algorithms;

    @Option(names = "--sizes", split = ",", paramLabel = "BYTES", defaultValue = "1024,16384",
            description = "Message sizes in bytes (default ${DEFAULT-VALUE}).")
    private List<Integer> sizes;

    @Option(names = "--no-progress", description = "No progress bar on stderr.")
    private boolean noProgress;

    @Spec
    private CommandSpec spec;

    /** One measured operation on one path, set up and checked, ready to run in a loop. */
    @FunctionalInterface
    interface Op {
        void run() throws Exception;
    }

    /** A path's factory for one algorithm and size. */
    @FunctionalInterface
    interface OpFactory {
        Op make(int size) throws Exception;
    }

    record Task(String algorithm, String path, int size, OpFactory factory) {
    }

    record Result(Task task, double mbps, String error) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (seconds <= 0 || sizes.stream().anyMatch(s -> s <= 0)) {
            err.println("bench: --seconds and --sizes must be positive");
            return 2;
        }
        Backends.Selection sel = Backends.selection();
        List<Task> tasks = new ArrayList<>();
        for (String a : algorithms) {
            String name = a.trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "aes-128-gcm": aeadTasks(tasks, AeadAlgorithm.AES_128_GCM, sel); break;
                case "aes-256-gcm": aeadTasks(tasks, AeadAlgorithm.AES_256_GCM, sel); break;
                case "chacha20-poly1305": aeadTasks(tasks, AeadAlgorithm.CHACHA20_POLY1305, sel); break;
                case "hmac-sha256": macTasks(tasks, MacAlgorithm.HMAC_SHA256, sel); break;
                case "hmac-sha384": macTasks(tasks, MacAlgorithm.HMAC_SHA384, sel); break;
                default:
                    err.println("bench: unknown algorithm " + a);
                    return 2;
            }
        }
        // Each measurement gets an equal share of what is left, so setup time is paid from the
        // budget too and the whole run keeps to --seconds.
        long begin = System.nanoTime();
        long deadline = begin + (long) (seconds * 1e9);
        long planned = (long) (seconds * 1e9 / tasks.size());
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            Task t = tasks.get(i);
            if (!noProgress) {
                progress(err, i, tasks.size(), t);
            }
            long share = Math.max(1_000_000L, (deadline - System.nanoTime()) / (tasks.size() - i));
            results.add(measure(t, share * 2 / 5, share - share * 2 / 5));
        }
        if (!noProgress) {
            err.print("\r" + " ".repeat(100) + "\r");
            err.flush();
        }
        print(out, sel, results, planned, System.nanoTime() - begin);
        out.flush();
        return results.stream().anyMatch(r -> r.error != null && r.error.startsWith("WRONG")) ? 1 : 0;
    }

    // ---- the paths ---------------------------------------------------------------------------

    private void aeadTasks(List<Task> tasks, AeadAlgorithm alg, Backends.Selection sel) {
        String name = alg.displayName() + " seal";
        Map<String, OpFactory> paths = new LinkedHashMap<>();
        if (sel.backend() != null) {
            Backend auto = sel.backend();
            paths.put("auto", size -> aeadOp(alg, size, key -> auto.newAead(alg, key)));
        }
        if (NativeLoader.status().usable()) {
            NativeBackend nb = NativeBackend.create();
            for (String impl : NativeBackend.usableImplementations(alg)) {
                paths.put("native/" + impl, size -> aeadOp(alg, size, key -> nb.newAead(alg, key, impl)));
            }
        }
        JavaBackend java = new JavaBackend();
        paths.put("java", size -> aeadOp(alg, size, key -> java.newAead(alg, key)));
        paths.put("SunJCE", size -> jceOp(alg, size));
        paths.put("BouncyCastle", size -> bcOp(alg, size));
        // path by path, small size first: the small run also warms the code the large one uses
        paths.forEach((path, f) -> sizes.stream().sorted().forEach(size -> tasks.add(new Task(name, path, size, f))));
    }

    private void macTasks(List<Task> tasks, MacAlgorithm alg, Backends.Selection sel) {
        String name = "HMAC-" + alg.jcaName().substring(4).replace("SHA", "SHA-");
        Map<String, OpFactory> paths = new LinkedHashMap<>();
        if (sel.backend() != null) {
            Backend auto = sel.backend();
            paths.put("auto", size -> macOp(alg, size, key -> auto.newMac(alg, key)));
        }
        if (NativeLoader.status().usable()) {
            NativeBackend nb = NativeBackend.create();
            for (String impl : NativeBackend.usableImplementations(alg)) {
                paths.put("native/" + impl, size -> macOp(alg, size, key -> nb.newMac(alg, key, impl)));
            }
        }
        JavaBackend java = new JavaBackend();
        paths.put("java", size -> macOp(alg, size, key -> java.newMac(alg, key)));
        paths.put("SunJCE", size -> jceMacOp(alg, size));
        paths.put("BouncyCastle", size -> bcMacOp(alg, size));
        // path by path, small size first: the small run also warms the code the large one uses
        paths.forEach((path, f) -> sizes.stream().sorted().forEach(size -> tasks.add(new Task(name, path, size, f))));
    }

    @FunctionalInterface
    interface KeyFunction<T> {
        T apply(byte[] key) throws Exception;
    }

    /** Seals with a fresh nonce (a counter) and a 13-byte AAD per op, checked once against SunJCE. */
    private static Op aeadOp(AeadAlgorithm alg, int size, KeyFunction<Aead> make) throws Exception {
        byte[] key = key(alg.keyLength());
        Aead aead = make.apply(key);
        byte[] pt = data(size);
        byte[] out = new byte[size + AeadAlgorithm.TAG_LENGTH];
        byte[] nonce = new byte[AeadAlgorithm.NONCE_LENGTH];
        byte[] aad = new byte[13];
        aead.seal(nonce, aad, 0, aad.length, pt, 0, size, out, 0);
        check(Arrays.equals(out, referenceSeal(alg, key, nonce, aad, pt)));
        long[] seq = {0};
        return () -> {
            next(nonce, aad, ++seq[0]);
            aead.seal(nonce, aad, 0, aad.length, pt, 0, size, out, 0);
        };
    }

    private static Op jceOp(AeadAlgorithm alg, int size) throws Exception {
        boolean chacha = alg == AeadAlgorithm.CHACHA20_POLY1305;
        byte[] key = key(alg.keyLength());
        Cipher c = Cipher.getInstance(chacha ? "ChaCha20-Poly1305" : "AES/GCM/NoPadding", "SunJCE");
        SecretKeySpec k = new SecretKeySpec(key, chacha ? "ChaCha20" : "AES");
        byte[] pt = data(size);
        byte[] out = new byte[size + AeadAlgorithm.TAG_LENGTH];
        byte[] nonce = new byte[AeadAlgorithm.NONCE_LENGTH];
        byte[] aad = new byte[13];
        long[] seq = {0};
        return () -> {
            next(nonce, aad, ++seq[0]);
            c.init(Cipher.ENCRYPT_MODE, k, chacha ? new IvParameterSpec(nonce) : new GCMParameterSpec(128, nonce));
            c.updateAAD(aad);
            c.doFinal(pt, 0, size, out, 0);
        };
    }

    private static Op bcOp(AeadAlgorithm alg, int size) throws Exception {
        byte[] key = key(alg.keyLength());
        AEADCipher c = alg == AeadAlgorithm.CHACHA20_POLY1305
                ? new ChaCha20Poly1305() : GCMBlockCipher.newInstance(AESEngine.newInstance());
        byte[] pt = data(size);
        byte[] out = new byte[size + AeadAlgorithm.TAG_LENGTH];
        byte[] nonce = new byte[AeadAlgorithm.NONCE_LENGTH];
        byte[] aad = new byte[13];
        c.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        c.processAADBytes(aad, 0, aad.length);
        c.doFinal(out, c.processBytes(pt, 0, size, out, 0));
        check(Arrays.equals(out, referenceSeal(alg, key, nonce, aad, pt)));
        long[] seq = {0};
        return () -> {
            next(nonce, aad, ++seq[0]);
            c.init(true, new ParametersWithIV(null, nonce)); // same key, new nonce
            c.processAADBytes(aad, 0, aad.length);
            c.doFinal(out, c.processBytes(pt, 0, size, out, 0));
        };
    }

    private static Op macOp(MacAlgorithm alg, int size, KeyFunction<io.tlsaccel.crypto.Mac> make) throws Exception {
        byte[] key = key(alg.macLength());
        io.tlsaccel.crypto.Mac m = make.apply(key);
        byte[] msg = data(size);
        byte[] out = new byte[alg.macLength()];
        m.update(msg, 0, size);
        m.doFinal(out, 0);
        check(Arrays.equals(out, referenceMac(alg, key, msg)));
        return () -> {
            m.update(msg, 0, size);
            m.doFinal(out, 0);
        };
    }

    private static Op jceMacOp(MacAlgorithm alg, int size) throws Exception {
        byte[] key = key(alg.macLength());
        javax.crypto.Mac m = javax.crypto.Mac.getInstance(alg.jcaName(), "SunJCE");
        m.init(new SecretKeySpec(key, alg.jcaName()));
        byte[] msg = data(size);
        byte[] out = new byte[alg.macLength()];
        return () -> {
            m.update(msg, 0, size);
            m.doFinal(out, 0);
        };
    }

    private static Op bcMacOp(MacAlgorithm alg, int size) throws Exception {
        byte[] key = key(alg.macLength());
        HMac h = new HMac(alg == MacAlgorithm.HMAC_SHA256 ? new SHA256Digest() : new SHA384Digest());
        h.init(new KeyParameter(key));
        byte[] msg = data(size);
        byte[] out = new byte[alg.macLength()];
        h.update(msg, 0, size);
        h.doFinal(out, 0);
        check(Arrays.equals(out, referenceMac(alg, key, msg)));
        return () -> {
            h.update(msg, 0, size);
            h.doFinal(out, 0);
        };
    }

    private static byte[] referenceSeal(AeadAlgorithm alg, byte[] key, byte[] nonce, byte[] aad, byte[] pt)
            throws Exception {
        boolean chacha = alg == AeadAlgorithm.CHACHA20_POLY1305;
        Cipher c = Cipher.getInstance(chacha ? "ChaCha20-Poly1305" : "AES/GCM/NoPadding", "SunJCE");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, chacha ? "ChaCha20" : "AES"),
                chacha ? new IvParameterSpec(nonce) : new GCMParameterSpec(128, nonce));
        c.updateAAD(aad);
        return c.doFinal(pt);
    }

    private static byte[] referenceMac(MacAlgorithm alg, byte[] key, byte[] msg) throws Exception {
        javax.crypto.Mac m = javax.crypto.Mac.getInstance(alg.jcaName(), "SunJCE");
        m.init(new SecretKeySpec(key, alg.jcaName()));
        return m.doFinal(msg);
    }

    private static void check(boolean same) {
        if (!same) {
            throw new IllegalStateException("WRONG: output differs from SunJCE");
        }
    }

    private static byte[] key(int n) {
        byte[] k = new byte[n];
        new SecureRandom().nextBytes(k);
        return k;
    }

    private static byte[] data(int n) {
        byte[] b = new byte[n];
        new SplittableRandom(n).nextBytes(b);
        return b;
    }

    /** The sequence number into the nonce's last 8 bytes and the AAD's first 8 (TLS 1.2 style). */
    private static void next(byte[] nonce, byte[] aad, long seq) {
        for (int i = 0; i < 8; i++) {
            byte b = (byte) (seq >>> (56 - 8 * i));
            nonce[4 + i] = b;
            aad[i] = b;
        }
    }

    // ---- timing ------------------------------------------------------------------------------

    /** Warm-up, then a timed loop in batches of about a millisecond (so the clock costs nothing). */
    static Result measure(Task t, long warmNanos, long timedNanos) {
        try {
            Op op = t.factory.make(t.size);
            long start = System.nanoTime();
            long ops = 0;
            long now;
            do {
                op.run();
                ops++;
                now = System.nanoTime();
            } while (now - start < warmNanos);
            long batch = Math.max(1, ops * 1_000_000L / Math.max(1, now - start));
            long count = 0;
            start = System.nanoTime();
            do {
                for (long i = 0; i < batch; i++) {
                    op.run();
                }
                count += batch;
                now = System.nanoTime();
            } while (now - start < timedNanos);
            double mbps = (double) count * t.size / ((now - start) / 1e9) / 1e6;
            return new Result(t, mbps, null);
        } catch (Exception | LinkageError e) {
            String msg = e.getMessage() != null && e.getMessage().startsWith("WRONG") ? e.getMessage()
                    : "failed: " + e;
            return new Result(t, Double.NaN, msg);
        }
    }

    private static void progress(PrintWriter err, int done, int total, Task t) {
        int width = 30;
        int filled = done * width / total;
        String line = String.format(Locale.ROOT, "\r[%s%s] %2d/%d %s %s %s", "#".repeat(filled),
                ".".repeat(width - filled), done + 1, total, t.algorithm, sizeName(t.size), t.path);
        err.print(line.length() > 100 ? line.substring(0, 100) : line + " ".repeat(100 - line.length()));
        err.flush();
    }

    // ---- output ------------------------------------------------------------------------------

    private void print(PrintWriter out, Backends.Selection sel, List<Result> results, long shareNanos,
                       long totalNanos) {
        out.printf(Locale.ROOT, "tlsaccel %s bench on %s %s, %d CPUs; %d measurements of about %.2f s"
                        + " (40%% warm-up) in %.1f s%n",
                Version.VERSION, System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                Runtime.getRuntime().availableProcessors(), results.size(), shareNanos / 1e9, totalNanos / 1e9);
        Backend b = sel.backend();
        String chose = b == null ? "nothing"
                : b.name() + " (" + b.implementation(AeadAlgorithm.AES_128_GCM) + " for AES-GCM, "
                + b.implementation(AeadAlgorithm.CHACHA20_POLY1305) + " for ChaCha20-Poly1305, "
                + b.implementation(MacAlgorithm.HMAC_SHA256) + " for HMAC-SHA-256)";
        out.println("auto chose: " + chose + " - " + sel.reason());
        out.println();

        StringBuilder head = new StringBuilder(String.format("%-22s %-16s", "algorithm", "path"));
        for (int s : sizes) {
            head.append(String.format("%14s %9s", sizeName(s) + " MB/s", "x SunJCE"));
        }
        out.println(head);
        Map<String, Map<String, Map<Integer, Result>>> grid = new LinkedHashMap<>();
        for (Result r : results) {
            grid.computeIfAbsent(r.task.algorithm, k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.task.path, k -> new LinkedHashMap<>()).put(r.task.size, r);
        }
        List<String> problems = new ArrayList<>();
        grid.forEach((alg, rows) -> {
            Map<Integer, Result> sun = rows.getOrDefault("SunJCE", Map.of());
            boolean first = true;
            for (Map.Entry<String, Map<Integer, Result>> row : rows.entrySet()) {
                StringBuilder line = new StringBuilder(String.format("%-22s %-16s", first ? alg : "", row.getKey()));
                first = false;
                for (int s : sizes) {
                    Result r = row.getValue().get(s);
                    Result ref = sun.get(s);
                    if (r == null || r.error != null) {
                        line.append(String.format("%14s %9s", r == null ? "-" : "error", ""));
                        if (r != null) {
                            problems.add(alg + " " + row.getKey() + " " + sizeName(s) + ": " + r.error);
                        }
                        continue;
                    }
                    String ratio = ref == null || ref.error != null || !(ref.mbps > 0) ? "-"
                            : String.format(Locale.ROOT, "%.2f", r.mbps / ref.mbps);
                    line.append(String.format(Locale.ROOT, "%14.1f %9s", r.mbps, ratio));
                }
                out.println(line.toString().stripTrailing());
            }
        });
        for (String p : problems) {
            out.println("! " + p);
        }
        if (!NativeLoader.status().usable()) {
            out.println("native paths not measured: " + NativeLoader.status().reason());
        }
    }

    static String sizeName(int size) {
        return size >= 1024 && size % 1024 == 0 ? size / 1024 + " KiB" : size + " B";
    }
}
