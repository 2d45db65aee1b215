package io.tlsaccel.testutil;

import io.tlsaccel.crypto.Aead;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.Backend;
import io.tlsaccel.crypto.Backends;
import io.tlsaccel.crypto.java.JavaBackend;
import io.tlsaccel.crypto.jni.NativeBackend;
import io.tlsaccel.nativelib.NativeLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Every way this machine can run an AEAD: the pure-Java backend and each native
 * implementation the CPU allows (forced one by one), so each test runs once per path.
 * When the native library cannot load, the native paths are absent and the reason is
 * printed; under CI=true that is a failure (see {@link #requireNativeInCi()}).
 */
public final class AeadPaths {

    /** A named way to make an Aead for a key. */
    public record Path(String name, AeadAlgorithm algorithm, Function<byte[], Aead> factory) {
        public Aead newAead(byte[] key) {
            return factory.apply(key);
        }

        @Override
        public String toString() {
            return algorithm.displayName() + " " + name;
        }
    }

    private AeadPaths() {
    }

    public static Stream<Path> all(AeadAlgorithm... algorithms) {
        List<Path> paths = new ArrayList<>();
        Backend own = new JavaBackend(JavaBackend.Choice.OWN);
        Backend jdk = new JavaBackend(JavaBackend.Choice.JDK);
        for (AeadAlgorithm a : algorithms) {
            paths.add(new Path(own.implementation(a), a, key -> own.newAead(a, key)));
            paths.add(new Path(jdk.implementation(a), a, key -> jdk.newAead(a, key)));
        }
        if (NativeLoader.status().usable()) {
            NativeBackend nat = (NativeBackend) Backends.get("native");
            for (AeadAlgorithm a : algorithms) {
                for (String impl : NativeBackend.usableImplementations(a)) {
                    paths.add(new Path("native/" + impl, a, key -> nat.newAead(a, key, impl)));
                }
            }
        } else {
            System.out.println("native paths not tested: " + NativeLoader.status().reason());
        }
        return paths.stream();
    }

    public static Stream<Path> aesGcm() {
        return all(AeadAlgorithm.AES_128_GCM, AeadAlgorithm.AES_256_GCM);
    }

    public static Stream<Path> everything() {
        return all(AeadAlgorithm.values());
    }

    /** On CI the native layer must load here; a silent fallback would hide a broken build. */
    public static void requireNativeInCi() {
        if ("true".equals(System.getenv("CI")) && !NativeLoader.status().usable()) {
            throw new AssertionError("CI=true but the native backend is unusable: "
                    + NativeLoader.status().reason());
        }
    }
}
