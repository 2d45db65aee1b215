package io.tlsaccel.crypto;

import io.tlsaccel.crypto.java.JavaBackend;
import io.tlsaccel.crypto.jni.NativeBackend;
import io.tlsaccel.nativelib.NativeLoader;
import io.tlsaccel.nativelib.NativeStatus;
import io.tlsaccel.nativelib.TaNative;
import java.util.Locale;

/**
 * The runtime choice of backend, made once per JVM.
 *
 * <p>{@code -Dtlsaccel.backend=auto|native|java} (or the environment variable
 * {@code TLSACCEL_BACKEND}; the property wins). {@code auto} takes the C layer when it
 * loads, passes its self-test and the CPU has AES-NI and PCLMULQDQ (on AArch64: the AES
 * and PMULL instructions); otherwise pure Java,
 * with one log line saying why. {@code native} where the C layer cannot run is an error
 * ({@link IllegalStateException} from {@link #selected()}), never a crash.
 */
public final class Backends {

    public static final String PROPERTY = "tlsaccel.backend";
    public static final String ENVIRONMENT = "TLSACCEL_BACKEND";

    private static final System.Logger LOG = System.getLogger("io.tlsaccel");
    private static final Object LOCK = new Object();
    private static volatile Selection selection;

    private Backends() {
    }

    /**
     * What was asked for, what was chosen and why.
     *
     * @param requested "auto", "native" or "java"
     * @param backend   the chosen backend, or null when the request cannot be met
     * @param reason    why this choice (or why the request failed)
     */
    public record Selection(String requested, Backend backend, String reason) {
    }

    /** The backend every part of the library uses. */
    public static Backend selected() {
        Selection s = selection();
        if (s.backend() == null) {
            throw new IllegalStateException(s.reason());
        }
        return s.backend();
    }

    public static Selection selection() {
        Selection s = selection;
        if (s == null) {
            synchronized (LOCK) {
                s = selection;
                if (s == null) {
                    s = choose(requested());
                    selection = s;
                    LOG.log(s.backend() == null ? System.Logger.Level.ERROR : System.Logger.Level.INFO,
                            "tlsaccel backend: {0} ({1})",
                            s.backend() == null ? "none" : s.backend().name(), s.reason());
                }
            }
        }
        return s;
    }

    /** A backend by name, "native" or "java"; throws when it cannot run here. */
    public static Backend get(String name) {
        switch (name) {
            case "native": return NativeBackend.create();
            case "java": return new JavaBackend();
            default: throw new IllegalArgumentException("unknown backend " + name + " (native or java)");
        }
    }

    static String requested() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            value = System.getenv(ENVIRONMENT);
        }
        return value == null || value.isBlank() ? "auto" : value.trim().toLowerCase(Locale.ROOT);
    }

    static Selection choose(String requested) {
        switch (requested) {
            case "java":
                return new Selection(requested, new JavaBackend(), "forced by " + PROPERTY + "=java");
            case "native": {
                String why = nativeProblem();
                return why == null
                        ? new Selection(requested, NativeBackend.create(), "forced by " + PROPERTY + "=native")
                        : new Selection(requested, null, "native backend requested but unavailable: " + why);
            }
            case "auto": {
                String why = nativeProblem();
                return why == null
                        ? new Selection(requested, NativeBackend.create(),
                                "native library loaded, self-test passed, CPU has "
                                        + aesFeatures(NativeLoader.status()))
                        : new Selection(requested, new JavaBackend(), why);
            }
            default:
                return new Selection(requested, null,
                        "unknown " + PROPERTY + " value '" + requested + "' (auto, native or java)");
        }
    }

    /** The AES and carry-less multiply instructions the C layer found, or null without them. */
    private static String aesFeatures(NativeStatus status) {
        if (status.cpuFeatures().contains("aesni") && status.cpuFeatures().contains("pclmul")) {
            return "AES-NI and PCLMULQDQ";
        }
        if (status.cpuFeatures().contains("aes") && status.cpuFeatures().contains("pmull")) {
            return "the ARMv8 AES and PMULL instructions";
        }
        return null;
    }

    /** Why the native backend cannot serve here, or null when it can. */
    private static String nativeProblem() {
        NativeStatus status = NativeLoader.status();
        if (!status.loaded()) {
            return status.reason();
        }
        if (!status.selfTestPassed()) {
            return status.reason();
        }
        if (aesFeatures(status) == null) {
            return "CPU lacks AES-NI or PCLMULQDQ (AArch64: AES or PMULL)"
                    + " (or TLSACCEL_CPU_MASK hides them)";
        }
        if (TaNative.ta_aead_impl_best(AeadAlgorithm.AES_128_GCM.nativeId()) < 0) {
            return "no native AES-GCM implementation usable on this CPU";
        }
        return null;
    }
}
