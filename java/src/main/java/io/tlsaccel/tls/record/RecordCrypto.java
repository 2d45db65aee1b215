package io.tlsaccel.tls.record;

import io.tlsaccel.crypto.Aead;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.Backend;
import io.tlsaccel.crypto.Backends;

/**
 * Where record protection gets its AEAD contexts: {@link Backends#selected()} (native or pure
 * Java, chosen once at runtime), unless a test or benchmark overrides it.
 */
public final class RecordCrypto {
    private static volatile Backend override;

    private RecordCrypto() {
    }

    public static Backend backend() {
        Backend b = override;
        return b != null ? b : Backends.selected();
    }

    /** Overrides the backend for new connections (tests, benchmarks); null restores the default. */
    public static void setBackend(Backend b) {
        override = b;
    }

    public static Aead newAead(AeadAlgorithm alg, byte[] key) {
        return backend().newAead(alg, key, 0, key.length);
    }
}
