package io.tlsaccel.tls.policy;

import java.security.Security;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The TLS settings a JDK administrator makes outside the application, read as SunJSSE reads
 * them, so that our provider refuses what theirs refuses:
 * <ul>
 * <li>security properties: {@code jdk.tls.disabledAlgorithms} ({@link DisabledAlgorithms}),
 *     {@code jdk.tls.keyLimits};
 * <li>system properties: {@code jdk.tls.client.protocols}, {@code jdk.tls.server.protocols},
 *     {@code jdk.tls.client.cipherSuites}, {@code jdk.tls.server.cipherSuites},
 *     {@code jdk.tls.namedGroups}.
 * </ul>
 * {@code jdk.certpath.disabledAlgorithms} is applied by the JDK's trust manager, which our
 * engine always calls with itself as the engine. Read once per SSLContext (SunJSSE reads once
 * per JVM).
 */
public final class JdkTlsPolicy {

    private final DisabledAlgorithms disabled;
    private final List<String> clientProtocols;
    private final List<String> serverProtocols;
    private final List<String> clientSuites;
    private final List<String> serverSuites;
    private final List<String> namedGroups;
    private final Map<String, Long> keyUpdateBytes;

    private JdkTlsPolicy(DisabledAlgorithms disabled, List<String> clientProtocols, List<String> serverProtocols,
            List<String> clientSuites, List<String> serverSuites, List<String> namedGroups, Map<String, Long> keyUpdateBytes) {
        this.disabled = disabled;
        this.clientProtocols = clientProtocols;
        this.serverProtocols = serverProtocols;
        this.clientSuites = clientSuites;
        this.serverSuites = serverSuites;
        this.namedGroups = namedGroups;
        this.keyUpdateBytes = keyUpdateBytes;
    }

    /** The JVM's settings as they are now. */
    public static JdkTlsPolicy current() {
        return new JdkTlsPolicy(DisabledAlgorithms.tls(),
                list(System.getProperty("jdk.tls.client.protocols")),
                list(System.getProperty("jdk.tls.server.protocols")),
                list(System.getProperty("jdk.tls.client.cipherSuites")),
                list(System.getProperty("jdk.tls.server.cipherSuites")),
                list(System.getProperty("jdk.tls.namedGroups")),
                keyLimits(Security.getProperty("jdk.tls.keyLimits")));
    }

    /** No administrator settings at all (tests, and a base for {@link #with}). */
    public static JdkTlsPolicy none() {
        return new JdkTlsPolicy(DisabledAlgorithms.none(), List.of(), List.of(), List.of(), List.of(), List.of(), Map.of());
    }

    /** The same settings with another disabled-algorithms list. */
    public JdkTlsPolicy with(DisabledAlgorithms other) {
        return new JdkTlsPolicy(other, clientProtocols, serverProtocols, clientSuites, serverSuites, namedGroups, keyUpdateBytes);
    }

    public DisabledAlgorithms disabled() {
        return disabled;
    }

    /**
     * The protocols enabled by default on one side: {@code jdk.tls.client.protocols} /
     * {@code jdk.tls.server.protocols} where set (in our order), else everything we support;
     * then less what the disabled list refuses.
     */
    public List<String> defaultProtocols(boolean client, List<String> supported) {
        List<String> wanted = client ? clientProtocols : serverProtocols;
        List<String> out = new ArrayList<>();
        for (String p : supported) {
            if ((wanted.isEmpty() || containsIgnoreCase(wanted, p)) && disabled.permitsProtocol(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * The cipher suites enabled by default on one side: {@code jdk.tls.client.cipherSuites} /
     * {@code jdk.tls.server.cipherSuites} where set (in that order, unknown names ignored, as
     * SunJSSE does), else everything we support in our order; then less what the disabled
     * list refuses.
     */
    public List<String> defaultCipherSuites(boolean client, List<String> supported) {
        List<String> wanted = client ? clientSuites : serverSuites;
        List<String> out = new ArrayList<>();
        if (wanted.isEmpty()) {
            for (String s : supported) {
                if (disabled.permitsCipherSuite(s)) {
                    out.add(s);
                }
            }
            return out;
        }
        for (String w : wanted) {
            for (String s : supported) {
                if (s.equalsIgnoreCase(w) && !out.contains(s) && disabled.permitsCipherSuite(s)) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /**
     * The key exchange groups in preference order: {@code jdk.tls.namedGroups} where set
     * (names we do not know are skipped), else {@code ourDefault}. Groups the disabled list
     * refuses are filtered where the groups are used, by {@link DisabledAlgorithms#permitsNamedGroup}.
     */
    public List<String> namedGroups(List<String> ourDefault) {
        return namedGroups.isEmpty() ? ourDefault : namedGroups;
    }

    /**
     * {@code jdk.tls.keyLimits}: bytes one TLS 1.3 key may protect before a KeyUpdate, for a
     * JCA transformation ("AES/GCM/NoPadding", "ChaCha20-Poly1305"); -1 when not limited.
     */
    public long keyUpdateBytes(String transformation) {
        Long limit = keyUpdateBytes.get(transformation.toUpperCase(Locale.ROOT));
        return limit == null ? -1 : limit;
    }

    static List<String> list(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String s : value.replace("\"", "").split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    /** "AES/GCM/NoPadding KeyUpdate 2^37, ChaCha20-Poly1305 KeyUpdate 2^37". */
    static Map<String, Long> keyLimits(String value) {
        Map<String, Long> out = new HashMap<>();
        for (String entry : list(value)) {
            String[] w = entry.trim().split("\\s+");
            if (w.length != 3 || !w[1].equalsIgnoreCase("KeyUpdate")) {
                continue;
            }
            long bytes = amount(w[2]);
            if (bytes > 0) {
                out.put(w[0].toUpperCase(Locale.ROOT), bytes);
            }
        }
        return out;
    }

    private static long amount(String s) {
        try {
            if (s.startsWith("2^")) {
                int e = Integer.parseInt(s.substring(2));
                return e >= 0 && e < 63 ? 1L << e : -1;
            }
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean containsIgnoreCase(List<String> list, String s) {
        for (String x : list) {
            if (x.equalsIgnoreCase(s)) {
                return true;
            }
        }
        return false;
    }
}
