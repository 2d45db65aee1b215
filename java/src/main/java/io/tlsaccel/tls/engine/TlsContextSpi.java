package io.tlsaccel.tls.engine;

import io.tlsaccel.socket.EngineServerSocketFactory;
import io.tlsaccel.socket.EngineSocketFactory;
import io.tlsaccel.tls.policy.JdkTlsPolicy;
import java.net.Socket;
import java.security.KeyManagementException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * The JSSE SSLContext implementation. Register {@link Tls} for {@code SSLContext.TLS} and
 * {@link Tls13} for {@code SSLContext.TLSv1.3}, or construct with the allowed protocol list.
 * Key and trust managers come from {@code init}; null means the JDK's default factories.
 */
public class TlsContextSpi extends SSLContextSpi {
    /** Protocols this implementation can speak. */
    static final List<String> IMPLEMENTED = List.of("TLSv1.3", "TLSv1.2");

    private final List<String> protocols;
    /** The JDK's TLS settings, read when the context is made (SunJSSE reads them once per JVM). */
    private final JdkTlsPolicy policy = JdkTlsPolicy.current();
    private final EngineDefaults engineDefaults;
    private final TlsSessionContext clientSessions = new TlsSessionContext(true);
    private final TlsSessionContext serverSessions = new TlsSessionContext(false);
    private volatile X509ExtendedKeyManager keyManager;
    private volatile X509TrustManager trustManager;
    private volatile SecureRandom random;
    private volatile boolean initialized;

    /** @param allowedProtocols e.g. {@code List.of("TLSv1.3")}; unimplemented ones are dropped */
    public TlsContextSpi(List<String> allowedProtocols) {
        List<String> p = new ArrayList<>();
        for (String s : allowedProtocols) {
            if (IMPLEMENTED.contains(s)) {
                p.add(s);
            }
        }
        this.protocols = List.copyOf(p);
        this.engineDefaults = new EngineDefaults(protocols, policy);
    }

    /** TLS 1.3 only. */
    public TlsContextSpi() {
        this(List.of("TLSv1.3"));
    }

    /** For {@code SSLContext.TLS}: TLS 1.3 and TLS 1.2, 1.3 preferred. */
    public static final class Tls extends TlsContextSpi {
        public Tls() {
            super(List.of("TLSv1.3", "TLSv1.2"));
        }
    }

    /** For {@code SSLContext.TLSv1.2}: TLS 1.2 only. */
    public static final class Tls12 extends TlsContextSpi {
        public Tls12() {
            super(List.of("TLSv1.2"));
        }
    }

    /** For {@code SSLContext.TLSv1.3}. */
    public static final class Tls13 extends TlsContextSpi {
        public Tls13() {
            super(List.of("TLSv1.3"));
        }
    }

    List<String> protocols() {
        return protocols;
    }

    JdkTlsPolicy policy() {
        return policy;
    }

    EngineDefaults engineDefaults() {
        return engineDefaults;
    }

    X509ExtendedKeyManager keyManager() {
        return keyManager;
    }

    X509TrustManager trustManager() {
        return trustManager;
    }

    SecureRandom random() {
        return random;
    }

    TlsSessionContext sessionContext(boolean client) {
        return client ? clientSessions : serverSessions;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
        try {
            if (km == null) {
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(null, null);
                km = kmf.getKeyManagers();
            }
            if (tm == null) {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init((KeyStore) null);
                tm = tmf.getTrustManagers();
            }
        } catch (Exception e) {
            throw new KeyManagementException("cannot create the default key/trust managers", e);
        }
        X509ExtendedKeyManager chosenKm = null;
        for (KeyManager k : km) {
            if (k instanceof X509ExtendedKeyManager x) {
                chosenKm = x;
                break;
            }
            if (k instanceof X509KeyManager x) {
                chosenKm = new KeyManagerAdapter(x);
                break;
            }
        }
        X509TrustManager chosenTm = null;
        for (TrustManager t : tm) {
            if (t instanceof X509ExtendedTrustManager x) {
                chosenTm = x;
                break;
            }
            if (t instanceof X509TrustManager x) {
                // Plain managers get endpoint identification added, as SunJSSE does.
                chosenTm = new TrustManagerAdapter(x);
                break;
            }
        }
        if (chosenTm == null) {
            throw new KeyManagementException("no X509TrustManager among " + Arrays.toString(tm));
        }
        keyManager = chosenKm;
        trustManager = chosenTm;
        random = sr != null ? sr : new SecureRandom();
        initialized = true;
    }

    private void checkInitialized() {
        if (!initialized) {
            throw new IllegalStateException("SSLContext is not initialized");
        }
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
        checkInitialized();
        return new TlsEngine(this, null, -1);
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
        checkInitialized();
        return new TlsEngine(this, host, port);
    }

    /** Blocking sockets over our engines ({@link EngineSocketFactory}). */
    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
        checkInitialized();
        return new EngineSocketFactory((host, port) -> new TlsEngine(this, host, port == null ? -1 : port));
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
        checkInitialized();
        return new EngineServerSocketFactory((host, port) -> new TlsEngine(this, host, port == null ? -1 : port));
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
        return serverSessions;
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
        return clientSessions;
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
        return new TlsEngine(this, null, -1).getSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
        TlsEngine e = new TlsEngine(this, null, -1);
        SSLParameters p = e.getSSLParameters();
        p.setCipherSuites(e.getSupportedCipherSuites());
        p.setProtocols(e.getSupportedProtocols());
        return p;
    }

    /** Lifts a plain X509KeyManager to the extended (engine) form. */
    private static final class KeyManagerAdapter extends X509ExtendedKeyManager {
        private final X509KeyManager km;

        KeyManagerAdapter(X509KeyManager km) {
            this.km = km;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return km.getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return km.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return km.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return km.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return km.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return km.getPrivateKey(alias);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return km.chooseClientAlias(keyType, issuers, null);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return km.chooseServerAlias(keyType, issuers, null);
        }
    }
}
