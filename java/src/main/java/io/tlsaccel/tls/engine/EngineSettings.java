package io.tlsaccel.tls.engine;

import io.tlsaccel.tls.handshake.HandshakeConfig;
import io.tlsaccel.tls.handshake.NamedGroup;
import io.tlsaccel.tls.policy.DisabledAlgorithms;
import io.tlsaccel.tls.policy.JdkTlsPolicy;
import io.tlsaccel.tls.record.Tls12CipherSuite;
import io.tlsaccel.tls.record.Tls13CipherSuite;
import java.security.AlgorithmConstraints;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * What the application set on one engine (suites, protocols, client authentication, SNI, ALPN,
 * groups), its mapping to and from {@link SSLParameters}, and the {@link HandshakeConfig} a
 * handshake is started with. Not thread-safe: the engine's lock guards it.
 *
 * <p>The JDK's TLS policy ({@link JdkTlsPolicy}) applies as SunJSSE applies it: the defaults
 * are the side's ({@code jdk.tls.client.protocols}, {@code jdk.tls.server.cipherSuites}, ...)
 * less what {@code jdk.tls.disabledAlgorithms} refuses, and what that list refuses is left out
 * of every handshake even when the application enabled it.
 */
final class EngineSettings {
    private final List<String> supportedProtocols;
    private final JdkTlsPolicy policy;
    private boolean clientMode;
    /** Null until the application sets them: then the defaults of the current mode apply. */
    private String[] enabledSuites;
    private String[] enabledProtocols;
    private boolean needClientAuth;
    private boolean wantClientAuth;
    private boolean enableSessionCreation = true;
    private String identificationAlgorithm;
    private List<SNIServerName> serverNames;
    private Collection<SNIMatcher> sniMatchers;
    private String[] applicationProtocols = new String[0];
    private boolean useCipherSuitesOrder = true;
    private AlgorithmConstraints algorithmConstraints;
    private List<NamedGroup> namedGroups;
    private final EngineDefaults defaults;
    private BiFunction<SSLEngine, List<String>, String> alpnSelector;

    /** With defaults worked out here (tests; engines share their context's). */
    EngineSettings(List<String> supportedProtocols, JdkTlsPolicy policy) {
        this(supportedProtocols, policy, new EngineDefaults(supportedProtocols, policy));
    }

    EngineSettings(List<String> supportedProtocols, JdkTlsPolicy policy, EngineDefaults defaults) {
        this.supportedProtocols = supportedProtocols;
        this.policy = policy;
        this.defaults = defaults;
        this.namedGroups = defaults.groups();
    }

    /** SSLEngine.setUseClientMode: the side's defaults apply from now on where nothing was set. */
    void useClientMode(boolean client) {
        clientMode = client;
    }

    /** TLS 1.3 suites first, then TLS 1.2 ones, each in our preference order. */
    static String[] allSuiteNames() {
        List<String> out = new ArrayList<>();
        for (Tls13CipherSuite s : Tls13CipherSuite.values()) {
            out.add(s.name());
        }
        for (Tls12CipherSuite s : Tls12CipherSuite.values()) {
            out.add(s.name());
        }
        return out.toArray(new String[0]);
    }

    /**
     * {@code jdk.tls.namedGroups} where it names a group we have, else ours: the post-quantum
     * hybrid first (a client sends its share and an x25519 one beside it, as browsers do), then
     * the elliptic curves. SecP256r1MLKEM768 is there when asked for by name.
     */
    static List<NamedGroup> defaultGroups(JdkTlsPolicy policy) {
        List<NamedGroup> ours = List.of(NamedGroup.X25519MLKEM768, NamedGroup.X25519, NamedGroup.SECP256R1,
                NamedGroup.SECP384R1);
        List<NamedGroup> out = parseGroups(policy.namedGroups(List.of()).toArray(new String[0]));
        return out.isEmpty() ? ours : out;
    }

    private static List<NamedGroup> parseGroups(String[] names) {
        List<NamedGroup> out = new ArrayList<>();
        for (String n : names) {
            NamedGroup g = NamedGroup.ofName(n);
            if (g != null && !out.contains(g)) {
                out.add(g);
            }
        }
        return out;
    }

    // ---- groups ----

    void setNamedGroups(String[] groups) {
        List<NamedGroup> g = parseGroups(groups);
        if (g.isEmpty()) {
            throw new IllegalArgumentException("no supported group in " + Arrays.toString(groups));
        }
        namedGroups = g;
    }

    String[] namedGroups() {
        return namedGroups.stream().map(NamedGroup::jdkName).toArray(String[]::new);
    }

    // ---- suites and protocols ----

    String[] enabledCipherSuites() {
        return enabledSuites != null ? enabledSuites.clone() : defaults.suites(clientMode);
    }

    void setEnabledCipherSuites(String[] suites) {
        // Names we do not implement (SCSVs, other suites) are ignored, so configurations
        // shared with SunJSSE keep working.
        enabledSuites = known(suites, "cipher suite",
                s -> Tls13CipherSuite.ofName(s) != null || Tls12CipherSuite.ofName(s) != null);
    }

    String[] enabledProtocols() {
        return enabledProtocols != null ? enabledProtocols.clone() : defaults.protocols(clientMode);
    }

    void setEnabledProtocols(String[] protocols) {
        enabledProtocols = known(protocols, "protocol", supportedProtocols::contains);
    }

    /** The names we know, once each, in the order given; null is refused (SSLEngine contract). */
    private static String[] known(String[] names, String what, Predicate<String> isKnown) {
        if (names == null) {
            throw new IllegalArgumentException("null " + what + "s");
        }
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (n == null) {
                throw new IllegalArgumentException("null " + what);
            }
            if (isKnown.test(n) && !out.contains(n)) {
                out.add(n);
            }
        }
        return out.toArray(new String[0]);
    }

    // ---- client authentication, sessions, ALPN ----

    void setNeedClientAuth(boolean need) {
        needClientAuth = need;
        wantClientAuth = false;
    }

    boolean needClientAuth() {
        return needClientAuth;
    }

    void setWantClientAuth(boolean want) {
        wantClientAuth = want;
        needClientAuth = false;
    }

    boolean wantClientAuth() {
        return wantClientAuth;
    }

    void setEnableSessionCreation(boolean flag) {
        enableSessionCreation = flag;
    }

    boolean enableSessionCreation() {
        return enableSessionCreation;
    }

    void setAlpnSelector(BiFunction<SSLEngine, List<String>, String> selector) {
        alpnSelector = selector;
    }

    BiFunction<SSLEngine, List<String>, String> alpnSelector() {
        return alpnSelector;
    }

    // ---- SSLParameters ----

    SSLParameters toParameters() {
        SSLParameters p = new SSLParameters(enabledCipherSuites(), enabledProtocols());
        if (needClientAuth) {
            p.setNeedClientAuth(true);
        } else if (wantClientAuth) {
            p.setWantClientAuth(true);
        }
        p.setEndpointIdentificationAlgorithm(identificationAlgorithm);
        if (serverNames != null) {
            p.setServerNames(serverNames);
        }
        if (sniMatchers != null) {
            p.setSNIMatchers(sniMatchers);
        }
        p.setApplicationProtocols(applicationProtocols.clone());
        p.setUseCipherSuitesOrder(useCipherSuitesOrder);
        p.setAlgorithmConstraints(algorithmConstraints);
        setNamedGroupsReflectively(p, namedGroups());
        return p;
    }

    void apply(SSLParameters p) {
        if (p.getCipherSuites() != null) {
            setEnabledCipherSuites(p.getCipherSuites());
        }
        if (p.getProtocols() != null) {
            setEnabledProtocols(p.getProtocols());
        }
        if (p.getNeedClientAuth()) {
            setNeedClientAuth(true);
        } else if (p.getWantClientAuth()) {
            setWantClientAuth(true);
        } else {
            setWantClientAuth(false);
        }
        identificationAlgorithm = p.getEndpointIdentificationAlgorithm();
        if (p.getServerNames() != null) {
            serverNames = List.copyOf(p.getServerNames());
        }
        if (p.getSNIMatchers() != null) {
            sniMatchers = List.copyOf(p.getSNIMatchers());
        }
        String[] ap = p.getApplicationProtocols();
        if (ap != null) {
            applicationProtocols = ap.clone();
        }
        useCipherSuitesOrder = p.getUseCipherSuitesOrder();
        algorithmConstraints = p.getAlgorithmConstraints();
        String[] groups = getNamedGroupsReflectively(p);
        if (groups != null) {
            List<NamedGroup> g = parseGroups(groups);
            if (!g.isEmpty()) {
                namedGroups = g;
            }
        }
    }

    // SSLParameters.get/setNamedGroups exist from Java 20; used when running there.

    /** SSLParameters.setNamedGroups/getNamedGroups (JDK 20+), looked up once; null before 20. */
    private static final java.lang.reflect.Method SET_NAMED_GROUPS = namedGroupsMethod("setNamedGroups", String[].class);
    private static final java.lang.reflect.Method GET_NAMED_GROUPS = namedGroupsMethod("getNamedGroups");

    private static java.lang.reflect.Method namedGroupsMethod(String name, Class<?>... args) {
        try {
            return SSLParameters.class.getMethod(name, args);
        } catch (NoSuchMethodException e) {
            return null; // older JDK
        }
    }

    private static void setNamedGroupsReflectively(SSLParameters p, String[] groups) {
        try {
            if (SET_NAMED_GROUPS != null) {
                SET_NAMED_GROUPS.invoke(p, (Object) groups);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // not settable here: the engine's own groups stay in force
        }
    }

    private static String[] getNamedGroupsReflectively(SSLParameters p) {
        try {
            return GET_NAMED_GROUPS == null ? null : (String[]) GET_NAMED_GROUPS.invoke(p);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    // ---- the handshake's view ----

    /** The configuration a handshake starts with; {@code peerHost} gives a client's SNI by default. */
    HandshakeConfig handshakeConfig(boolean clientMode, String peerHost) {
        DisabledAlgorithms disabled = policy.disabled();
        List<Tls13CipherSuite> suites = new ArrayList<>();
        List<Tls12CipherSuite> suites12 = new ArrayList<>();
        for (String s : enabledCipherSuites()) {
            if (!disabled.permitsCipherSuite(s)) {
                continue; // SunJSSE too leaves out a disabled suite the application enabled
            }
            Tls13CipherSuite cs = Tls13CipherSuite.ofName(s);
            if (cs != null) {
                suites.add(cs);
            }
            Tls12CipherSuite cs12 = Tls12CipherSuite.ofName(s);
            if (cs12 != null) {
                suites12.add(cs12);
            }
        }
        List<String> protocols = new ArrayList<>();
        for (String p : enabledProtocols()) {
            if (disabled.permitsProtocol(p)) {
                protocols.add(p);
            }
        }
        List<NamedGroup> groups = new ArrayList<>();
        for (NamedGroup g : namedGroups) {
            if (permitsGroup(disabled, g)) {
                groups.add(g);
            }
        }
        boolean tls13Enabled = protocols.contains("TLSv1.3") && !suites.isEmpty();
        boolean tls12Enabled = protocols.contains("TLSv1.2") && !suites12.isEmpty();
        String sni = null;
        if (clientMode) {
            if (serverNames != null) {
                for (SNIServerName n : serverNames) {
                    if (n instanceof SNIHostName h) {
                        sni = h.getAsciiName();
                    }
                }
            } else if (peerHost != null && isHostName(peerHost)) {
                sni = peerHost;
            }
        }
        return new HandshakeConfig(List.copyOf(suites), List.copyOf(groups), List.of(applicationProtocols),
                alpnSelector, sni, sniMatchers == null ? List.of() : sniMatchers,
                needClientAuth, wantClientAuth, useCipherSuitesOrder, tls13Enabled, tls12Enabled,
                List.copyOf(suites12), disabled);
    }

    /** A group by name, and an elliptic curve also by size ("EC keySize < 224"). */
    private static boolean permitsGroup(DisabledAlgorithms disabled, NamedGroup g) {
        String name = g.jdkName();
        boolean curve = name.startsWith("secp") && name.endsWith("r1");
        int size = curve ? Integer.parseInt(name.substring(4, name.length() - 2)) : 0;
        return disabled.permitsNamedGroup(name, curve ? "EC" : null, size);
    }

    /**
     * The last peer host found to be a valid host name: clients connect to the same few hosts
     * over and over, and {@code SNIHostName}'s IDN check cost ~1% of a resumed handshake.
     */
    private static volatile String lastHostName;

    /** RFC 6066 3: literal IP addresses are not sent as host names. */
    static boolean isHostName(String host) {
        if (host.equals(lastHostName)) {
            return true;
        }
        if (host.isEmpty() || host.indexOf(':') >= 0 || host.endsWith(".")) {
            return false;
        }
        if (host.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
            return false;
        }
        try {
            new SNIHostName(host);
            lastHostName = host;
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
