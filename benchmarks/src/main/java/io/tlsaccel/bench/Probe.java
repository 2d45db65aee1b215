package io.tlsaccel.bench;

import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.Backends;
import io.tlsaccel.crypto.MacAlgorithm;
import io.tlsaccel.crypto.jni.NativeBackend;
import io.tlsaccel.nativelib.NativeLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What can run in this JVM, asked before JMH starts (by {@code run.sh}): per algorithm, the
 * paths that work here (for the benchmarks' {@code -p path=...}), including one
 * {@code nativeJni/<impl>} per usable native implementation, and the paths that cannot run,
 * each with its reason, so the run leaves them out instead of failing them.
 *
 * <p>Prints shell assignments on stdout: {@code paths_AES_128_GCM=...} (one per algorithm
 * enum constant, comma-separated path names), {@code scaling=yes|no} and {@code auto=...}. With
 * a file argument, also writes the reasons there (the report shows them).
 */
public final class Probe {

    private Probe() {
    }

    public static void main(String[] args) throws IOException {
        boolean nativeOk = NativeLoader.status().usable();
        Map<String, String> paths = new LinkedHashMap<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        for (AeadAlgorithm alg : AeadAlgorithm.values()) {
            List<String> impls = nativeOk ? NativeBackend.usableImplementations(alg) : List.of();
            paths.put(alg.name(), String.join(",", usable(alg.displayName(), Fixtures.AEAD_PATHS, impls, reasons,
                    p -> tryAead(alg, p))));
        }
        for (MacAlgorithm alg : MacAlgorithm.values()) {
            List<String> impls = nativeOk ? NativeBackend.usableImplementations(alg) : List.of();
            paths.put(alg.name(), String.join(",", usable(alg.jcaName(), Fixtures.MAC_PATHS, impls, reasons,
                    p -> tryMac(alg, p))));
        }
        String scalingProblem = tryAead(AeadAlgorithm.AES_128_GCM, "nativeRecord");
        if (scalingProblem != null) {
            reasons.put("AES-GCM thread scaling", scalingProblem);
        }

        Backends.Selection sel = Backends.selection();
        String auto = sel.backend() == null ? "none (" + sel.reason() + ")"
                : sel.backend().implementation(AeadAlgorithm.AES_128_GCM) + " for AES-GCM, "
                + sel.backend().implementation(AeadAlgorithm.CHACHA20_POLY1305) + " for ChaCha20-Poly1305, "
                + sel.backend().implementation(MacAlgorithm.HMAC_SHA256) + " for HMAC-SHA-256 ("
                + sel.reason() + ")";

        paths.forEach((k, v) -> System.out.println("paths_" + k + "='" + v + "'"));
        System.out.println("scaling=" + (scalingProblem == null ? "yes" : "no"));
        System.out.println("auto='" + auto.replace("'", "") + "'");
        StringBuilder text = new StringBuilder();
        text.append("auto: ").append(auto).append('\n');
        reasons.forEach((k, v) -> text.append("skipped: ").append(k).append(": ").append(v).append('\n'));
        System.err.print(text);
        if (args.length > 0) {
            Files.writeString(Path.of(args[0]), text, StandardCharsets.UTF_8);
        }
    }

    /** The paths of {@code all} (nativeJni also once per implementation) that {@code check} passes. */
    private static List<String> usable(String label, List<String> all, List<String> impls, Map<String, String> reasons,
            Function<String, String> check) {
        List<String> candidates = new ArrayList<>();
        for (String p : all) {
            candidates.add(p);
            if (p.equals("nativeJni")) {
                impls.forEach(i -> candidates.add("nativeJni/" + i));
            }
        }
        List<String> ok = new ArrayList<>();
        for (String p : candidates) {
            String why = check.apply(p);
            if (why == null) {
                ok.add(p);
            } else {
                reasons.put(label + " " + p, why);
            }
        }
        return ok;
    }

    /** Builds the path and checks it against SunJCE on a small message; null when it works. */
    private static String tryAead(AeadAlgorithm alg, String path) {
        try {
            AeadPath.of(path, alg, 100).close();
            return null;
        } catch (Fixtures.Unavailable e) {
            return e.getMessage().replace("path unavailable: ", "");
        } catch (Exception | LinkageError e) {
            return "fails here: " + e;
        }
    }

    private static String tryMac(MacAlgorithm alg, String path) {
        byte[] key = Fixtures.randomKey(alg.macLength());
        try (MacRunner r = Fixtures.mac(Fixtures.path(path), alg, key)) {
            Fixtures.checkMac(path, r, alg, key, Fixtures.random(100, 1));
            return null;
        } catch (Fixtures.Unavailable e) {
            return e.getMessage().replace("path unavailable: ", "");
        } catch (Exception | LinkageError e) {
            return "fails here: " + e;
        }
    }
}
