package io.tlsaccel.tls.record;

import io.tlsaccel.crypto.Aead;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.Backend;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Finds the crypto {@link Backend} once: {@code io.tlsaccel.crypto.Backends.selected()} when
 * present, else the pure-Java backend, else a JCE adapter ({@link JceAead}) so the TLS layer
 * works on its own. Looked up by name so this package compiles whatever the crypto layer ships.
 */
public final class RecordCrypto {
    private static final Logger LOG = Logger.getLogger(RecordCrypto.class.getName());
    private static volatile Backend backend;

    private RecordCrypto() {
    }

    public static Backend backend() {
        Backend b = backend;
        if (b == null) {
            synchronized (RecordCrypto.class) {
                b = backend;
                if (b == null) {
                    b = find();
                    backend = b;
                }
            }
        }
        return b;
    }

    /** Overrides the backend (tests, benchmarks). */
    public static void setBackend(Backend b) {
        backend = b;
    }

    private static Backend find() {
        try {
            Object o = Class.forName("io.tlsaccel.crypto.Backends").getMethod("selected").invoke(null);
            if (o instanceof Backend) {
                return (Backend) o;
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            LOG.log(Level.FINE, "Backends.selected() unavailable", e);
        }
        try {
            Object o = Class.forName("io.tlsaccel.crypto.java.JavaBackend").getDeclaredConstructor().newInstance();
            if (o instanceof Backend) {
                return (Backend) o;
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            LOG.log(Level.FINE, "JavaBackend unavailable", e);
        }
        LOG.info("tlsaccel TLS: no crypto backend found, using the JCE adapter");
        return JceAead.BACKEND;
    }

    public static Aead newAead(AeadAlgorithm alg, byte[] key) {
        return backend().newAead(alg, key, 0, key.length);
    }
}
