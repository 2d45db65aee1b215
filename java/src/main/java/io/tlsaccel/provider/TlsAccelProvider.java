package io.tlsaccel.provider;

import io.tlsaccel.crypto.Backend;
import io.tlsaccel.crypto.Backends;
import io.tlsaccel.crypto.MacAlgorithm;
import io.tlsaccel.tls.engine.TlsContextSpi;
import java.security.InvalidParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code TlsAccel} JCA provider: AES-GCM, ChaCha20-Poly1305 and HMAC-SHA256/384 on the
 * tlsaccel engine (native where it runs, pure Java otherwise; see {@link Backends}).
 *
 * <pre>
 * Security.addProvider(new TlsAccelProvider());          // or TlsAccelProvider.install()
 * Cipher c = Cipher.getInstance("AES/GCM/NoPadding", "TlsAccel");
 * </pre>
 *
 * It is also found by {@link java.util.ServiceLoader} (and so by a
 * {@code security.provider.N=TlsAccel} line in {@code java.security}).
 *
 * <p>The backend is resolved when a cipher or MAC is created, not when the provider is: if
 * the user forced a backend that cannot run ({@code -Dtlsaccel.backend=native} without the
 * native library), {@code getInstance} fails with a {@link NoSuchAlgorithmException} that says
 * why, rather than the provider failing to load.
 */
public final class TlsAccelProvider extends Provider {

    private static final long serialVersionUID = 1L;

    public static final String NAME = "TlsAccel";
    /** The provider version: the library release it ships in (getVersion() reads it as 0.1). */
    public static final String VERSION = "0.1.0";
    private static final String INFO =
            "TlsAccel provider (AES-GCM and ChaCha20-Poly1305 on AES-NI/VAES or pure Java; HMAC-SHA256/384)";

    private static final Object INSTALL_LOCK = new Object();

    /** Null: {@link Backends#selected()} at each instantiation. */
    private final transient Backend fixedBackend;

    public TlsAccelProvider() {
        this(null);
    }

    /** A provider on one given backend (tests run the provider once per backend with this). */
    TlsAccelProvider(Backend backend) {
        super(NAME, VERSION, INFO);
        this.fixedBackend = backend;
        registerCiphers();
        registerMacs();
        registerJsse();
    }

    /** Adds the provider (at the lowest preference) unless one named TlsAccel is installed; returns it. */
    public static TlsAccelProvider install() {
        synchronized (INSTALL_LOCK) {
            Provider existing = Security.getProvider(NAME);
            if (existing instanceof TlsAccelProvider) {
                return (TlsAccelProvider) existing;
            }
            if (existing != null) {
                throw new IllegalStateException("another provider named " + NAME + " is installed: "
                        + existing.getClass().getName());
            }
            TlsAccelProvider p = new TlsAccelProvider();
            Security.addProvider(p);
            return p;
        }
    }

    /** The backend the services of this provider run on. */
    Backend backend() {
        return fixedBackend != null ? fixedBackend : Backends.selected();
    }

    private void registerCiphers() {
        Map<String, String> raw = Map.of("SupportedKeyFormats", "RAW", "ImplementedIn", "Software");
        add("Cipher", "AES/GCM/NoPadding", AesGcmCipherSpi.class, List.of(), raw,
                b -> new AesGcmCipherSpi(b, 0));
        add("Cipher", "AES_128/GCM/NoPadding", AesGcmCipherSpi.class,
                List.of("2.16.840.1.101.3.4.1.6", "OID.2.16.840.1.101.3.4.1.6"), raw,
                b -> new AesGcmCipherSpi(b, 16));
        add("Cipher", "AES_256/GCM/NoPadding", AesGcmCipherSpi.class,
                List.of("2.16.840.1.101.3.4.1.46", "OID.2.16.840.1.101.3.4.1.46"), raw,
                b -> new AesGcmCipherSpi(b, 32));
        add("Cipher", "ChaCha20-Poly1305", ChaCha20Poly1305CipherSpi.class,
                List.of("1.2.840.113549.1.9.16.3.18", "OID.1.2.840.113549.1.9.16.3.18"), raw,
                ChaCha20Poly1305CipherSpi::new);
    }

    private void registerMacs() {
        Map<String, String> raw = Map.of("SupportedKeyFormats", "RAW", "ImplementedIn", "Software");
        add("Mac", "HmacSHA256", HmacSpi.class,
                List.of("1.2.840.113549.2.9", "OID.1.2.840.113549.2.9"), raw,
                b -> new HmacSpi(b, MacAlgorithm.HMAC_SHA256));
        add("Mac", "HmacSHA384", HmacSpi.class,
                List.of("1.2.840.113549.2.10", "OID.1.2.840.113549.2.10"), raw,
                b -> new HmacSpi(b, MacAlgorithm.HMAC_SHA384));
    }

    /**
     * JSSE: {@code SSLContext} whose engines are ours. The engine picks its record crypto from
     * {@link Backends#selected()} per connection; asking here makes a forced backend that
     * cannot run fail at {@code getInstance}, with the reason.
     */
    private void registerJsse() {
        Map<String, String> attrs = Map.of("ImplementedIn", "Software");
        add("SSLContext", "TLS", TlsContextSpi.Tls.class, List.of(), attrs, b -> new TlsContextSpi.Tls());
        add("SSLContext", "TLSv1.3", TlsContextSpi.Tls13.class, List.of(), attrs, b -> new TlsContextSpi.Tls13());
        add("SSLContext", "TLSv1.2", TlsContextSpi.Tls12.class, List.of(), attrs, b -> new TlsContextSpi.Tls12());
    }

    private void add(String type, String algorithm, Class<?> spiClass, List<String> aliases,
                     Map<String, String> attributes, Function<Backend, Object> factory) {
        putService(new EngineService(this, type, algorithm, spiClass.getName(), aliases, attributes, factory));
    }

    /** A service that builds its SPI directly on this provider's backend (no reflection). */
    private static final class EngineService extends Provider.Service {
        private final Function<Backend, Object> factory;

        EngineService(TlsAccelProvider provider, String type, String algorithm, String className,
                      List<String> aliases, Map<String, String> attributes, Function<Backend, Object> factory) {
            super(provider, type, algorithm, className, aliases, attributes);
            this.factory = factory;
        }

        @Override
        public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
            if (constructorParameter != null) {
                throw new InvalidParameterException("constructorParameter not used with " + getType() + " engines");
            }
            Backend backend;
            try {
                backend = ((TlsAccelProvider) getProvider()).backend();
            } catch (IllegalStateException e) {
                throw new NoSuchAlgorithmException(NAME + " " + getAlgorithm() + " unavailable: " + e.getMessage(), e);
            }
            return factory.apply(backend);
        }
    }
}
