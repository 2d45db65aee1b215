package io.tlsaccel.tls.policy;

import java.security.Key;
import java.security.Security;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.crypto.interfaces.DHKey;

/**
 * An administrator's list of refused algorithms, in the syntax of the JDK's
 * {@code jdk.tls.disabledAlgorithms} security property, read the way SunJSSE reads it:
 * entries separated by commas; an entry is an algorithm name, optionally followed by
 * constraints joined with {@code &} ({@code keySize < 2048}, {@code usage HandshakeSignature});
 * {@code include PROPERTY} splices in another security property; a name ending in {@code *}
 * matches every cipher suite it starts (JDK 24+: {@code TLS_RSA_*}). Names compare without
 * case. A plain name refuses the algorithm everywhere it appears: as a protocol, a suite, a
 * part of a suite (key exchange, cipher, hash), a group or a signature algorithm. Constraints
 * that concern certificate paths only ({@code jdkCA}, {@code denyAfter}) are left to the trust
 * manager, which applies {@code jdk.certpath.disabledAlgorithms} itself.
 */
public final class DisabledAlgorithms {

    /** The security property SunJSSE reads. */
    public static final String TLS_PROPERTY = "jdk.tls.disabledAlgorithms";

    /** Where a signature is used, as the {@code usage} constraint names it. */
    public enum SignatureUse {
        /** CertificateVerify, ServerKeyExchange. */
        HANDSHAKE("HandshakeSignature"),
        /** The signature on a certificate. */
        CERTIFICATE("CertificateSignature");

        private final String keyword;

        SignatureUse(String keyword) {
            this.keyword = keyword;
        }
    }

    /** keySize OPERATOR LENGTH: the key is refused when the comparison holds. */
    private record KeySizeLimit(String operator, int length) {
        boolean refuses(int size) {
            switch (operator) {
                case "<": return size < length;
                case "<=": return size <= length;
                case ">": return size > length;
                case ">=": return size >= length;
                case "==": return size == length;
                case "!=": return size != length;
                default: return false;
            }
        }
    }

    /** Names refused outright (upper case). */
    private final Set<String> refused = new HashSet<>();
    /** Prefixes of suite names refused outright (upper case, without the '*'). */
    private final List<String> refusedPrefixes = new ArrayList<>();
    /** Per algorithm (upper case): key sizes refused. */
    private final Map<String, List<KeySizeLimit>> keySizeLimits = new HashMap<>();
    /** Per algorithm (upper case): signature uses refused. */
    private final Map<String, Set<SignatureUse>> refusedUses = new HashMap<>();
    /**
     * Answers already worked out: the list never changes once parsed, and every handshake asks
     * the same few questions (each suite, each scheme), which would otherwise cost string
     * splitting and case mapping per handshake.
     */
    private final Map<String, Boolean> suiteAnswers = new java.util.concurrent.ConcurrentHashMap<>();
    /** Per scheme name: the JCA name it was decided with and the answer for each use. */
    private final Map<String, SchemeAnswers> schemeAnswers = new java.util.concurrent.ConcurrentHashMap<>();

    private record SchemeAnswers(String jcaAlgorithm, boolean[] byUse) {
    }

    private DisabledAlgorithms() {
    }

    /** The JVM's {@code jdk.tls.disabledAlgorithms}, as configured now. */
    public static DisabledAlgorithms tls() {
        return parse(Security.getProperty(TLS_PROPERTY), Security::getProperty);
    }

    /** Nothing refused. */
    public static DisabledAlgorithms none() {
        return new DisabledAlgorithms();
    }

    /**
     * Parses a property value; {@code properties} resolves {@code include} (a missing property
     * includes nothing). Unknown constraints are ignored as SunJSSE ignores them for TLS.
     */
    public static DisabledAlgorithms parse(String value, UnaryOperator<String> properties) {
        DisabledAlgorithms d = new DisabledAlgorithms();
        d.add(value, properties, new HashSet<>());
        return d;
    }

    private void add(String value, UnaryOperator<String> properties, Set<String> included) {
        if (value == null) {
            return;
        }
        for (String raw : unquote(value).split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            String[] words = entry.split("\\s+", 2);
            if (words[0].equalsIgnoreCase("include") && words.length == 2) {
                String property = words[1].trim();
                if (included.add(property)) { // a property that includes itself is read once
                    add(properties.apply(property), properties, included);
                }
                continue;
            }
            String name = words[0].toUpperCase(Locale.ROOT);
            if (words.length == 1) {
                if (name.endsWith("*")) {
                    refusedPrefixes.add(name.substring(0, name.length() - 1));
                } else {
                    refused.add(name);
                }
                continue;
            }
            for (String constraint : words[1].split("&")) {
                addConstraint(name, constraint.trim());
            }
        }
    }

    private void addConstraint(String name, String constraint) {
        String[] words = constraint.split("\\s+");
        if (words.length == 0) {
            return;
        }
        switch (words[0]) {
            case "keySize":
                KeySizeLimit limit = keySize(constraint.substring("keySize".length()).trim());
                if (limit != null) {
                    keySizeLimits.computeIfAbsent(name, n -> new ArrayList<>()).add(limit);
                }
                break;
            case "usage":
                for (int i = 1; i < words.length; i++) {
                    for (SignatureUse use : SignatureUse.values()) {
                        if (use.keyword.equals(words[i])) {
                            refusedUses.computeIfAbsent(name, n -> new HashSet<>()).add(use);
                        }
                    }
                }
                break;
            default:
                // jdkCA, denyAfter: certificate-path rules, the trust manager's business
                break;
        }
    }

    private static KeySizeLimit keySize(String rest) {
        for (String op : new String[] {"<=", ">=", "==", "!=", "<", ">"}) {
            if (rest.startsWith(op)) {
                try {
                    return new KeySizeLimit(op, Integer.parseInt(rest.substring(op.length()).trim()));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static String unquote(String value) {
        String v = value.trim();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        return v;
    }

    private boolean isRefused(String name) {
        return refused.contains(name.toUpperCase(Locale.ROOT));
    }

    /** A protocol name such as "TLSv1.2". */
    public boolean permitsProtocol(String protocol) {
        return !isRefused(protocol);
    }

    /**
     * A cipher suite by its standard name: refused by name, by a wildcard, or because one of
     * its parts is (key exchange, authentication, cipher, hash; e.g. {@code ECDHE},
     * {@code RSA}, {@code AES_128_GCM}, {@code SHA384}).
     */
    public boolean permitsCipherSuite(String suite) {
        return suiteAnswers.computeIfAbsent(suite, this::decideCipherSuite);
    }

    private boolean decideCipherSuite(String suite) {
        String upper = suite.toUpperCase(Locale.ROOT);
        if (refused.contains(upper)) {
            return false;
        }
        for (String prefix : refusedPrefixes) {
            if (upper.startsWith(prefix)) {
                return false;
            }
        }
        for (String part : suiteParts(upper)) {
            if (refused.contains(part)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The parts of a suite name: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" gives ECDHE_RSA,
     * ECDHE, RSA, AES_128_GCM, AES_128, AES, SHA256; "TLS_AES_128_GCM_SHA256" (TLS 1.3, no key
     * exchange in the name) gives AES_128_GCM, AES_128, AES, SHA256.
     */
    static List<String> suiteParts(String upperSuite) {
        List<String> parts = new ArrayList<>();
        String rest = upperSuite.startsWith("TLS_") ? upperSuite.substring(4) : upperSuite;
        int with = rest.indexOf("_WITH_");
        if (with >= 0) {
            String kx = rest.substring(0, with);
            parts.add(kx);
            for (String p : kx.split("_")) {
                if (!parts.contains(p)) {
                    parts.add(p);
                }
            }
            rest = rest.substring(with + "_WITH_".length());
        }
        int hash = rest.lastIndexOf('_');
        if (hash > 0) {
            String cipher = rest.substring(0, hash);
            parts.add(cipher);
            if (cipher.endsWith("_GCM")) {
                String bare = cipher.substring(0, cipher.length() - 4);
                parts.add(bare);
                parts.add(bare.split("_")[0]);
            }
            parts.add(rest.substring(hash + 1));
        }
        return parts;
    }

    /**
     * A key exchange group by its JDK name ("x25519", "secp256r1", "X25519MLKEM768"), and,
     * where the group is an elliptic curve, its size against the EC key-size limits.
     */
    public boolean permitsNamedGroup(String group, String keyAlgorithm, int keySize) {
        if (isRefused(group)) {
            return false;
        }
        if (keyAlgorithm != null && (isRefused(keyAlgorithm) || refusesSize(keyAlgorithm, keySize))) {
            return false;
        }
        return true;
    }

    /**
     * A signature scheme by its TLS name ("rsa_pkcs1_sha1") and JCA algorithm
     * ("SHA1withRSA"), for a use: refused by name, by usage, or by a part of the algorithm
     * name (a hash such as SHA1, or the key algorithm).
     */
    public boolean permitsSignatureScheme(String scheme, String jcaAlgorithm, SignatureUse use) {
        if (scheme == null) {
            return decideSignatureScheme(null, jcaAlgorithm, use);
        }
        // Asked for every scheme of every handshake: looked up by the name alone (no key to build).
        SchemeAnswers a = schemeAnswers.get(scheme);
        if (a == null || !java.util.Objects.equals(a.jcaAlgorithm(), jcaAlgorithm)) {
            boolean[] byUse = new boolean[SignatureUse.values().length];
            for (SignatureUse u : SignatureUse.values()) {
                byUse[u.ordinal()] = decideSignatureScheme(scheme, jcaAlgorithm, u);
            }
            a = new SchemeAnswers(jcaAlgorithm, byUse);
            schemeAnswers.put(scheme, a);
        }
        return a.byUse()[use.ordinal()];
    }

    private boolean decideSignatureScheme(String scheme, String jcaAlgorithm, SignatureUse use) {
        for (String name : new String[] {scheme, jcaAlgorithm}) {
            if (name == null) {
                continue;
            }
            String upper = name.toUpperCase(Locale.ROOT);
            if (refused.contains(upper)) {
                return false;
            }
            Set<SignatureUse> uses = refusedUses.get(upper);
            if (uses != null && uses.contains(use)) {
                return false;
            }
        }
        if (jcaAlgorithm != null) {
            for (String part : algorithmParts(jcaAlgorithm)) {
                if (refused.contains(part)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** "SHA256withECDSA" gives SHA256, SHA-256, ECDSA; "SHA1withRSA" gives SHA1, SHA-1, RSA. */
    static List<String> algorithmParts(String jcaAlgorithm) {
        List<String> parts = new ArrayList<>();
        for (String p : jcaAlgorithm.toUpperCase(Locale.ROOT).split("WITH|AND")) {
            if (p.isEmpty()) {
                continue;
            }
            parts.add(p);
            if (p.startsWith("SHA") && p.length() > 3) { // the JDK treats SHA1 and SHA-1 alike
                parts.add(p.charAt(3) == '-' ? "SHA" + p.substring(4) : "SHA-" + p.substring(3));
            }
        }
        return parts;
    }

    /**
     * A public or private key (a certificate's, ours or the peer's): refused when its
     * algorithm is, or when its size falls under a key-size limit ("RSA keySize < 2048").
     */
    public boolean permitsKey(Key key) {
        String algorithm = key.getAlgorithm();
        int size = keySize(key);
        if (isRefused(algorithm) || (size > 0 && refusesSize(algorithm, size))) {
            return false;
        }
        // an RSASSA-PSS key is an RSA key for the limits the JDK documents
        return !algorithm.equalsIgnoreCase("RSASSA-PSS") || size <= 0 || !refusesSize("RSA", size);
    }

    private boolean refusesSize(String algorithm, int size) {
        List<KeySizeLimit> limits = keySizeLimits.get(algorithm.toUpperCase(Locale.ROOT));
        if (limits == null) {
            return false;
        }
        for (KeySizeLimit l : limits) {
            if (l.refuses(size)) {
                return true;
            }
        }
        return false;
    }

    /** The size in bits the JDK's constraints speak of; 0 when unknown. */
    static int keySize(Key key) {
        if (key instanceof RSAKey rsa) {
            return rsa.getModulus().bitLength();
        }
        if (key instanceof ECKey ec) {
            return ec.getParams().getOrder().bitLength(); // as the JDK sizes EC keys
        }
        if (key instanceof DHKey dh) {
            return dh.getParams().getP().bitLength();
        }
        return 0;
    }

    /** Lists what is refused, for logs and `info` (algorithm names only: nothing secret). */
    @Override
    public String toString() {
        return "DisabledAlgorithms" + refused + " prefixes" + refusedPrefixes + " keySizes" + keySizeLimits.keySet()
                + " uses" + refusedUses;
    }
}
