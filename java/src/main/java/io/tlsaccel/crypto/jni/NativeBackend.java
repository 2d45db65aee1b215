package io.tlsaccel.crypto.jni;

import io.tlsaccel.crypto.Aead;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.Backend;
import io.tlsaccel.crypto.Mac;
import io.tlsaccel.crypto.MacAlgorithm;
import io.tlsaccel.crypto.X25519;
import io.tlsaccel.crypto.java.JavaBackend;
import io.tlsaccel.nativelib.NativeLoader;
import io.tlsaccel.nativelib.NativeStatus;
import io.tlsaccel.nativelib.TaNative;
import java.util.ArrayList;
import java.util.List;

/**
 * The C layer through JNI. The implementation for each algorithm is the C dispatcher's
 * choice (made from the CPU features once per key); an algorithm the C layer cannot run
 * on this CPU is served by the pure-Java backend, so callers never see a gap.
 */
public final class NativeBackend implements Backend {

    private final JavaBackend fallback = new JavaBackend();
    private volatile X25519 x25519;

    private NativeBackend() {
    }

    /** The native backend, or an exception that says why it cannot run here. */
    public static NativeBackend create() {
        NativeStatus status = NativeLoader.status();
        if (!status.usable()) {
            throw new IllegalStateException("native backend unavailable: " + status.reason());
        }
        return new NativeBackend();
    }

    @Override
    public String name() {
        return "native";
    }

    /** Names of the implementations the CPU (and TLSACCEL_CPU_MASK) allow, fastest first. */
    public static List<String> usableImplementations(AeadAlgorithm algorithm) {
        List<String> names = new ArrayList<>();
        int id = algorithm.nativeId();
        for (int i = 0; i < TaNative.ta_aead_impl_count(id); i++) {
            if (TaNative.ta_aead_impl_usable(id, i) == 1) {
                names.add(TaNative.ta_aead_impl_name(id, i));
            }
        }
        return names;
    }

    public static List<String> usableImplementations(MacAlgorithm algorithm) {
        List<String> names = new ArrayList<>();
        int id = algorithm.nativeId();
        for (int i = 0; i < TaNative.ta_mac_impl_count(id); i++) {
            if (TaNative.ta_mac_impl_usable(id, i) == 1) {
                names.add(TaNative.ta_mac_impl_name(id, i));
            }
        }
        return names;
    }

    @Override
    public Aead newAead(AeadAlgorithm algorithm, byte[] key, int keyOff, int keyLen) {
        int best = bestAead(algorithm);
        if (best < 0) {
            return fallback.newAead(algorithm, key, keyOff, keyLen);
        }
        return new NativeAead(algorithm, -1, implementationName(algorithm, best), key, keyOff, keyLen);
    }

    /**
     * The best usable implementation of each algorithm (or a negative code), asked of the
     * library once: the CPU's features and the mask are fixed for the process, and the JNA
     * call cost a few microseconds per record key. 0 means not asked yet.
     */
    private static final int[] BEST_AEAD = new int[AeadAlgorithm.values().length];

    private static int bestAead(AeadAlgorithm algorithm) {
        int cached = BEST_AEAD[algorithm.ordinal()];
        if (cached != 0) {
            return cached - 1;
        }
        int best = TaNative.ta_aead_impl_best(algorithm.nativeId());
        BEST_AEAD[algorithm.ordinal()] = best + 1; // a racing reader asks again: harmless
        return best;
    }

    /**
     * "native/" + each implementation's name, per algorithm, asked of the library once (else
     * once per record key). A reader that sees a missing entry asks again: harmless.
     */
    private static final String[][] IMPLEMENTATION_NAMES = new String[AeadAlgorithm.values().length][];

    private static String implementationName(AeadAlgorithm algorithm, int index) {
        String[] names = IMPLEMENTATION_NAMES[algorithm.ordinal()];
        if (names == null || index >= names.length || names[index] == null) {
            int id = algorithm.nativeId();
            names = new String[TaNative.ta_aead_impl_count(id)];
            for (int i = 0; i < names.length; i++) {
                names[i] = "native/" + TaNative.ta_aead_impl_name(id, i);
            }
            IMPLEMENTATION_NAMES[algorithm.ordinal()] = names;
        }
        return names[index];
    }

    /** A context on one named implementation (e.g. "aesni"), for tests and benchmarks. */
    public Aead newAead(AeadAlgorithm algorithm, byte[] key, String implementation) {
        int id = algorithm.nativeId();
        for (int i = 0; i < TaNative.ta_aead_impl_count(id); i++) {
            if (implementation.equals(TaNative.ta_aead_impl_name(id, i))) {
                return new NativeAead(algorithm, i, "native/" + implementation, key, 0, key.length);
            }
        }
        throw new IllegalArgumentException("no native implementation " + implementation + " of "
                + algorithm.displayName());
    }

    @Override
    public Mac newMac(MacAlgorithm algorithm, byte[] key, int keyOff, int keyLen) {
        int best = TaNative.ta_mac_impl_best(algorithm.nativeId());
        if (best < 0) {
            return fallback.newMac(algorithm, key, keyOff, keyLen);
        }
        return new NativeMac(algorithm, -1, "native/" + TaNative.ta_mac_impl_name(algorithm.nativeId(), best),
                key, keyOff, keyLen);
    }

    /** A MAC on one named implementation (e.g. "shani"), for tests and benchmarks. */
    public Mac newMac(MacAlgorithm algorithm, byte[] key, String implementation) {
        int id = algorithm.nativeId();
        for (int i = 0; i < TaNative.ta_mac_impl_count(id); i++) {
            if (implementation.equals(TaNative.ta_mac_impl_name(id, i))) {
                return new NativeMac(algorithm, i, "native/" + implementation, key, 0, key.length);
            }
        }
        throw new IllegalArgumentException("no native implementation " + implementation + " of "
                + algorithm.jcaName());
    }

    @Override
    public String implementation(AeadAlgorithm algorithm) {
        int best = TaNative.ta_aead_impl_best(algorithm.nativeId());
        return best < 0 ? fallback.implementation(algorithm)
                : "native/" + TaNative.ta_aead_impl_name(algorithm.nativeId(), best);
    }

    @Override
    public String implementation(MacAlgorithm algorithm) {
        int best = TaNative.ta_mac_impl_best(algorithm.nativeId());
        return best < 0 ? fallback.implementation(algorithm)
                : "native/" + TaNative.ta_mac_impl_name(algorithm.nativeId(), best);
    }

    /** Names of the X25519 implementations the CPU (and TLSACCEL_CPU_MASK) allow, fastest first. */
    public static List<String> usableX25519Implementations() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < TaNative.ta_x25519_impl_count(); i++) {
            if (TaNative.ta_x25519_impl_usable(i) == 1) {
                names.add(TaNative.ta_x25519_impl_name(i));
            }
        }
        return names;
    }

    /** X25519 on the C dispatcher's choice (the portable C one runs on every CPU). */
    @Override
    public X25519 x25519() {
        X25519 x = x25519;
        if (x == null) {
            int best = TaNative.ta_x25519_impl_best();
            x = best < 0 ? fallback.x25519() : new NativeX25519(-1, "native/" + TaNative.ta_x25519_impl_name(best));
            x25519 = x;
        }
        return x;
    }

    /** X25519 on one named implementation (e.g. "mulx"), for tests and benchmarks. */
    public X25519 x25519(String implementation) {
        for (int i = 0; i < TaNative.ta_x25519_impl_count(); i++) {
            if (implementation.equals(TaNative.ta_x25519_impl_name(i))) {
                return new NativeX25519(i, "native/" + implementation);
            }
        }
        throw new IllegalArgumentException("no native implementation " + implementation + " of X25519");
    }

    @Override
    public String toString() {
        return "NativeBackend";
    }
}
