package io.tlsaccel.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsaccel.Version;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.Backend;
import io.tlsaccel.crypto.Backends;
import io.tlsaccel.crypto.MacAlgorithm;
import io.tlsaccel.crypto.jni.NativeBackend;
import io.tlsaccel.nativelib.NativeLoader;
import io.tlsaccel.nativelib.NativeStatus;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code info}: what the CPU offers, which backend runs and why, per-algorithm choices, self-test. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show CPU features, the backend chosen and why, and each algorithm's implementation.")
final class InfoCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> report = report();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(report));
        } else {
            out.print(text(report));
        }
        out.flush();
        return report.get("backend") == null ? 1 : 0;
    }

    /** The facts, as an ordered map that becomes the JSON object. */
    static Map<String, Object> report() {
        NativeStatus status = NativeLoader.status();
        Backends.Selection selection = Backends.selection();
        Backend backend = selection.backend();

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("version", Version.VERSION);
        r.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        r.put("platform", System.getProperty("os.name") + "/" + System.getProperty("os.arch"));
        r.put("requested", selection.requested());
        r.put("backend", backend == null ? null : backend.name());
        r.put("reason", selection.reason());

        Map<String, String> implementation = new LinkedHashMap<>();
        if (backend != null) {
            for (AeadAlgorithm a : AeadAlgorithm.values()) {
                implementation.put(a.displayName(), backend.implementation(a));
            }
            for (MacAlgorithm m : MacAlgorithm.values()) {
                implementation.put(m.jcaName(), backend.implementation(m));
            }
            implementation.put("X25519", backend.x25519().name());
        }
        // The post-quantum half of X25519MLKEM768 (offered first by default): the JDK's from 24 on, else Bouncy Castle's.
        implementation.put("ML-KEM-768", io.tlsaccel.crypto.kem.MlKem768.implementation());
        r.put("implementation", implementation);
        // Handshake signatures: which provider per scheme (ACCP when present, see SignatureProviders).
        r.put("signatures", io.tlsaccel.tls.handshake.SignatureProviders.summary());
        r.put("accp", io.tlsaccel.tls.handshake.SignatureProviders.correttoStatus());
        r.put("cpuFeatures", status.loaded() ? status.cpuFeatures() : List.of());
        r.put("cpuFeaturesDetected", status.loaded() ? status.cpuDetected() : List.of());
        r.put("selfTest", !status.loaded() ? "not run" : status.selfTestPassed() ? "passed"
                : "failed: " + status.selfTestFailure());

        Map<String, Object> lib = new LinkedHashMap<>();
        lib.put("loaded", status.loaded());
        lib.put("source", status.source());
        lib.put("version", status.version());
        lib.put("problem", status.reason());
        if (status.usable()) {
            Map<String, List<String>> usable = new LinkedHashMap<>();
            for (AeadAlgorithm a : AeadAlgorithm.values()) {
                usable.put(a.displayName(), NativeBackend.usableImplementations(a));
            }
            for (MacAlgorithm m : MacAlgorithm.values()) {
                usable.put(m.jcaName(), NativeBackend.usableImplementations(m));
            }
            usable.put("X25519", NativeBackend.usableX25519Implementations());
            lib.put("usableImplementations", usable);
            lib.put("liveContexts", NativeLoader.liveContexts());
        }
        r.put("native", lib);
        return r;
    }

    @SuppressWarnings("unchecked")
    private static String text(Map<String, Object> r) {
        StringBuilder sb = new StringBuilder();
        Map<String, Object> lib = (Map<String, Object>) r.get("native");
        sb.append("tlsaccel ").append(r.get("version")).append(" on ").append(r.get("java"))
                .append(", ").append(r.get("platform")).append('\n');
        sb.append("CPU features usable: ").append(String.join(" ", (List<String>) r.get("cpuFeatures"))).append('\n');
        sb.append("native library: ").append(Boolean.TRUE.equals(lib.get("loaded"))
                ? "loaded from " + lib.get("source") + " (version " + lib.get("version") + ")"
                : "not loaded: " + lib.get("problem")).append('\n');
        sb.append("self-test: ").append(r.get("selfTest")).append('\n');
        if (lib.get("liveContexts") != null) {
            sb.append("native key contexts live in this process: ").append(lib.get("liveContexts")).append('\n');
        }
        sb.append("backend: ").append(r.get("backend") == null ? "none" : r.get("backend"))
                .append(" (requested ").append(r.get("requested")).append("; ").append(r.get("reason")).append(")\n");
        Map<String, String> impl = (Map<String, String>) r.get("implementation");
        impl.forEach((alg, name) -> sb.append(String.format("  %-18s %s%n", alg, name)));
        sb.append("handshake signatures (Amazon Corretto Crypto Provider: ").append(r.get("accp")).append("):\n");
        ((Map<String, String>) r.get("signatures")).forEach((scheme, provider) ->
                sb.append(String.format("  %-24s %s%n", scheme, provider)));
        Map<String, List<String>> usable = (Map<String, List<String>>) lib.get("usableImplementations");
        if (usable != null) {
            sb.append("native implementations usable here (fastest first):\n");
            usable.forEach((alg, names) -> sb.append(String.format("  %-18s %s%n", alg,
                    names.isEmpty() ? "(none: Java fallback)" : String.join(", ", names))));
        }
        return sb.toString();
    }

}
