package io.tlsaccel.testutil;

import io.tlsaccel.crypto.Backends;
import io.tlsaccel.crypto.Mac;
import io.tlsaccel.crypto.MacAlgorithm;
import io.tlsaccel.crypto.java.JavaBackend;
import io.tlsaccel.crypto.jni.NativeBackend;
import io.tlsaccel.nativelib.NativeLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/** Every way this machine can run a MAC: the Java backend and each native implementation. */
public final class MacPaths {

    public record Path(String name, MacAlgorithm algorithm, Function<byte[], Mac> factory) {
        public Mac newMac(byte[] key) {
            return factory.apply(key);
        }

        @Override
        public String toString() {
            return algorithm.jcaName() + " " + name;
        }
    }

    private MacPaths() {
    }

    public static Stream<Path> all() {
        List<Path> paths = new ArrayList<>();
        JavaBackend java = new JavaBackend();
        for (MacAlgorithm a : MacAlgorithm.values()) {
            paths.add(new Path("java", a, key -> java.newMac(a, key)));
        }
        if (NativeLoader.status().usable()) {
            NativeBackend nat = (NativeBackend) Backends.get("native");
            for (MacAlgorithm a : MacAlgorithm.values()) {
                for (String impl : NativeBackend.usableImplementations(a)) {
                    paths.add(new Path("native/" + impl, a, key -> nat.newMac(a, key, impl)));
                }
            }
        } else {
            System.out.println("native MAC paths not tested: " + NativeLoader.status().reason());
        }
        return paths.stream();
    }
}
