package io.tlsaccel.testutil;

import io.tlsaccel.crypto.Backends;
import io.tlsaccel.crypto.X25519;
import io.tlsaccel.crypto.java.BcX25519;
import io.tlsaccel.crypto.jni.NativeBackend;
import io.tlsaccel.nativelib.NativeLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Every X25519 this machine can run: Bouncy Castle's and each native implementation. */
public final class X25519Paths {

    private X25519Paths() {
    }

    public static Stream<X25519> all() {
        List<X25519> paths = new ArrayList<>();
        paths.add(new BcX25519());
        if (NativeLoader.status().usable()) {
            NativeBackend nat = (NativeBackend) Backends.get("native");
            for (String impl : NativeBackend.usableX25519Implementations()) {
                paths.add(nat.x25519(impl));
            }
            paths.add(nat.x25519()); // the dispatcher's choice (index -1)
        } else {
            System.out.println("native X25519 paths not tested: " + NativeLoader.status().reason());
        }
        return paths.stream();
    }
}
