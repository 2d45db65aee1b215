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

/**
 * What can run in this JVM, asked before JMH starts (by {@code run.sh}): the native
 * implementations usable here (for the {@code -p aesImpl=...} style parameters) and the
 * paths that cannot run, each with its reason (for {@code -e}, so the run skips them
 * cleanly instead of failing them).
 *
 * <p>Prints shell assignments on stdout: {@code aesImpl=...}, {@code chachaImpl=...},
 * {@code sha256Impl=...}, {@code sha384Impl=...}, {@code exclude=regex,regex} and
 * {@code auto=...}. With a file argument, also writes the reasons there (the report shows them).
 */
public final class Probe {

    private Probe() {
    }

    private record Family(String classRegex, String label, AeadAlgorithm aead, MacAlgorithm mac, String implParam) {
    }

    public static void main(String[] args) throws IOException {
        List<Family> families = List.of(
                new Family("AesGcm(Seal|Open)Benchmark", "AES-GCM", AeadAlgorithm.AES_128_GCM, null, "aesImpl"),
                new Family("ChaCha20Poly1305(Seal|Open)Benchmark", "ChaCha20-Poly1305",
                        AeadAlgorithm.CHACHA20_POLY1305, null, "chachaImpl"),
                new Family("HmacSha256Benchmark", "HMAC-SHA-256", null, MacAlgorithm.HMAC_SHA256, "sha256Impl"),
                new Family("HmacSha384Benchmark", "HMAC-SHA-384", null, MacAlgorithm.HMAC_SHA384, "sha384Impl"));
        boolean nativeOk = NativeLoader.status().usable();
        List<String> exclude = new ArrayList<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        Map<String, String> impls = new LinkedHashMap<>();

        for (Family f : families) {
            List<String> usable = !nativeOk ? List.of()
                    : f.aead != null ? NativeBackend.usableImplementations(f.aead)
                    : NativeBackend.usableImplementations(f.mac);
            impls.put(f.implParam, String.join(",", usable));
            List<String> paths = f.aead != null ? Fixtures.AEAD_PATHS : Fixtures.MAC_PATHS;
            for (String path : paths) {
                String why = null;
                if (path.equals("nativeJniImpl") && nativeOk && usable.isEmpty()) {
                    why = "no native implementation usable here (TLSACCEL_CPU_MASK?)";
                } else {
                    why = tryPath(f, path, usable.isEmpty() ? null : usable.get(0));
                }
                if (why != null) {
                    exclude.add("\\." + f.classRegex + "\\." + path + "$");
                    reasons.put(f.label + " " + path, why);
                }
            }
        }
        String scalingProblem = tryPath(families.get(0), "nativeRecord", null);
        if (scalingProblem != null) {
            exclude.add("AesGcmThreadScalingBenchmark");
            reasons.put("AES-GCM thread scaling", scalingProblem);
        }

        Backends.Selection sel = Backends.selection();
        String auto = sel.backend() == null ? "none (" + sel.reason() + ")"
                : sel.backend().implementation(AeadAlgorithm.AES_128_GCM) + " for AES-GCM, "
                + sel.backend().implementation(AeadAlgorithm.CHACHA20_POLY1305) + " for ChaCha20-Poly1305, "
                + sel.backend().implementation(MacAlgorithm.HMAC_SHA256) + " for HMAC-SHA-256 ("
                + sel.reason() + ")";

        impls.forEach((k, v) -> System.out.println(k + "='" + v + "'"));
        System.out.println("exclude='" + String.join(",", exclude) + "'");
        System.out.println("auto='" + auto.replace("'", "") + "'");
        StringBuilder text = new StringBuilder();
        text.append("auto: ").append(auto).append('\n');
        reasons.forEach((k, v) -> text.append("skipped: ").append(k).append(": ").append(v).append('\n'));
        System.err.print(text);
        if (args.length > 0) {
            Files.writeString(Path.of(args[0]), text, StandardCharsets.UTF_8);
        }
    }

    /** Builds the path and checks it against SunJCE on a small message; null when it works. */
    private static String tryPath(Family f, String path, String impl) {
        try {
            if (f.aead != null) {
                byte[] key = Fixtures.randomKey(f.aead.keyLength());
                try (AeadRunner r = Fixtures.aead(path, f.aead, key, impl)) {
                    Fixtures.checkAead(path, r, f.aead, key, Fixtures.random(100, 1));
                }
            } else {
                byte[] key = Fixtures.randomKey(f.mac.macLength());
                try (MacRunner r = Fixtures.mac(path, f.mac, key, impl)) {
                    Fixtures.checkMac(path, r, f.mac, key, Fixtures.random(100, 1));
                }
            }
            return null;
        } catch (Fixtures.Unavailable e) {
            return e.getMessage().replace("path unavailable: ", "");
        } catch (Exception | LinkageError e) {
            return "fails here: " + e;
        }
    }
}
