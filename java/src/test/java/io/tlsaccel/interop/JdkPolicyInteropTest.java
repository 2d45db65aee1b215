package io.tlsaccel.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.interop.Peers.Proc;
import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
import io.tlsaccel.testutil.TestPki.KeyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK's TLS policy ({@code jdk.tls.disabledAlgorithms} in a {@code java.security}
 * override, {@code jdk.tls.server.protocols}, {@code jdk.tls.namedGroups}) makes our provider
 * refuse exactly what SunJSSE refuses: each case runs {@link PolicyProbe} in a JVM of its own,
 * once on SunJSSE and once on ours, against OpenSSL (which ignores the JDK's policy), and
 * compares the outcome and the alert OpenSSL saw.
 */
class JdkPolicyInteropTest {
    /** JDK 17's default list (also what the test JVM gets: src/test/sunjsse-peer.security). */
    private static final String JDK17_DEFAULT = "SSLv3, TLSv1, TLSv1.1, DTLSv1.0, RC4, DES, MD5withRSA, "
            + "DH keySize < 1024, EC keySize < 224, 3DES_EDE_CBC, anon, NULL, ECDH";
    private static final Pattern PORT = Pattern.compile("port (\\d+)");
    private static final Pattern RESULT = Pattern.compile("(OK \\S+|FAIL)");
    private static final Pattern ALERT = Pattern.compile("SSL alert number (\\d+)");

    @TempDir
    static Path dir;
    static String openssl;
    static Path rsaChain;
    static Path rsaKey;
    static Path caPem;

    @BeforeAll
    static void setUp() throws Exception {
        openssl = Peers.tool("openssl");
        Credential ca = TestPki.newCa("Policy CA");
        Credential rsa = TestPki.issue(ca, KeyType.RSA, "localhost");
        rsaChain = Peers.writeCerts(dir.resolve("rsa.pem"), rsa.chain());
        rsaKey = Peers.writeKey(dir.resolve("rsa.key"), rsa.keyPair());
        caPem = Peers.writeCerts(dir.resolve("ca.pem"), ca.certificate());
    }

    /** What one side did: "OK TLSv1.2" or "FAIL", and the alert number OpenSSL reported, or "none". */
    record Outcome(String result, String alert) {
    }

    @Test
    void tlsRsaWorksUnderJdk17Defaults() throws Exception {
        Outcome o = sameAsServer(JDK17_DEFAULT, List.of(), "RSA", "-tls1_2", "-cipher", "AES128-GCM-SHA256");
        assertEquals("OK TLSv1.2", o.result());
    }

    @Test
    void disabledTlsRsaSuitesAreRefused() throws Exception {
        Outcome o = sameAsServer(JDK17_DEFAULT + ", TLS_RSA_WITH_AES_128_GCM_SHA256, TLS_RSA_WITH_AES_256_GCM_SHA384",
                List.of(), "RSA", "-tls1_2", "-cipher", "AES128-GCM-SHA256");
        assertEquals(new Outcome("FAIL", "40"), o); // handshake_failure
    }

    /**
     * The JDK 24 default spells it {@code TLS_RSA_*}. SunJSSE reads patterns from JDK 21 on
     * (JDK 17 takes the entry as one literal name); we read them on every JDK.
     */
    @Test
    void tlsRsaWildcardIsRefused() throws Exception {
        String disabled = JDK17_DEFAULT + ", TLS_RSA_*";
        Outcome ours = asServer("ours", disabled, List.of(), "RSA", "-tls1_2", "-cipher", "AES128-GCM-SHA256");
        assertEquals(new Outcome("FAIL", "40"), ours);
        if (Runtime.version().feature() >= 21) {
            assertEquals(ours, asServer("sun", disabled, List.of(), "RSA", "-tls1_2", "-cipher", "AES128-GCM-SHA256"));
        }
    }

    @Test
    void disabledTls12IsRefused() throws Exception {
        Outcome o = sameAsServer(JDK17_DEFAULT + ", TLSv1.2", List.of(), "EC_P256", "-tls1_2");
        assertEquals(new Outcome("FAIL", "70"), o); // protocol_version
    }

    @Test
    void serverProtocolsPropertyLimitsTheServer() throws Exception {
        Outcome o = sameAsServer(JDK17_DEFAULT, List.of("-Djdk.tls.server.protocols=TLSv1.3"), "EC_P256", "-tls1_2");
        assertEquals(new Outcome("FAIL", "70"), o);
    }

    /**
     * With no group left in common SunJSSE sends unexpected_message; we send handshake_failure,
     * which RFC 8446 4.1.1 asks for ("unable to negotiate a supported set of parameters").
     */
    @Test
    void disabledGroupIsNotChosen() throws Exception {
        Outcome only = sameResultAsServer(JDK17_DEFAULT + ", x25519", List.of(), "EC_P256", "-tls1_3", "-groups", "X25519");
        assertEquals(new Outcome("FAIL", "40"), only);
        Outcome other = sameAsServer(JDK17_DEFAULT + ", x25519", List.of(), "EC_P256", "-tls1_3", "-groups", "X25519:P-256");
        assertEquals("OK TLSv1.3", other.result()); // after a HelloRetryRequest for P-256
    }

    @Test
    void namedGroupsPropertyLimitsTheGroups() throws Exception {
        Outcome o = sameResultAsServer(JDK17_DEFAULT, List.of("-Djdk.tls.namedGroups=secp384r1"), "EC_P256",
                "-tls1_3", "-groups", "P-256");
        assertEquals(new Outcome("FAIL", "40"), o);
        Outcome ok = sameAsServer(JDK17_DEFAULT, List.of("-Djdk.tls.namedGroups=secp384r1"), "EC_P256", "-tls1_3", "-groups", "P-256:P-384");
        assertEquals("OK TLSv1.3", ok.result());
    }

    @Test
    void serverKeyUnderTheSizeLimitIsNotUsed() throws Exception {
        Outcome o = sameAsServer(JDK17_DEFAULT + ", RSA keySize < 3072", List.of(), "RSA", "-tls1_3");
        assertEquals("FAIL", o.result());
    }

    @Test
    void disabledSignatureSchemeIsNotUsed() throws Exception {
        Outcome o = sameAsServer(JDK17_DEFAULT + ", ecdsa_secp256r1_sha256", List.of(), "EC_P256", "-tls1_3");
        assertEquals("FAIL", o.result());
    }

    @Test
    void clientRefusesServerKeyUnderTheSizeLimit() throws Exception {
        Outcome o = sameAsClient(JDK17_DEFAULT + ", RSA keySize < 3072", "-tls1_3");
        assertEquals("FAIL", o.result());
    }

    @Test
    void clientRefusesDisabledTls12() throws Exception {
        Outcome o = sameAsClient(JDK17_DEFAULT + ", TLSv1.2", "-tls1_2");
        assertEquals("FAIL", o.result());
    }

    // ---- running both providers ----

    private Outcome sameAsServer(String disabled, List<String> props, String keyType, String... clientArgs) throws Exception {
        Outcome sun = asServer("sun", disabled, props, keyType, clientArgs);
        Outcome ours = asServer("ours", disabled, props, keyType, clientArgs);
        assertEquals(sun, ours, "SunJSSE and ours differ as servers under '" + disabled + "' " + props);
        return ours;
    }

    /** The same result, not necessarily the same alert: returns ours. */
    private Outcome sameResultAsServer(String disabled, List<String> props, String keyType, String... clientArgs)
            throws Exception {
        Outcome sun = asServer("sun", disabled, props, keyType, clientArgs);
        Outcome ours = asServer("ours", disabled, props, keyType, clientArgs);
        assertEquals(sun.result(), ours.result(), "SunJSSE and ours differ as servers under '" + disabled + "' " + props);
        return ours;
    }

    private Outcome sameAsClient(String disabled, String... serverArgs) throws Exception {
        Outcome sun = asClient("sun", disabled, serverArgs);
        Outcome ours = asClient("ours", disabled, serverArgs);
        // The result only: whether OpenSSL's s_server prints the alert a failing client sent
        // depends on timing (it may see the connection close first).
        assertEquals(sun.result(), ours.result(), "SunJSSE and ours differ as clients under '" + disabled + "'");
        return ours;
    }

    private Outcome asServer(String provider, String disabled, List<String> props, String keyType, String... clientArgs)
            throws Exception {
        try (Proc probe = Proc.start(dir, probeCommand(disabled, props, "server", provider, keyType))) {
            int port = Integer.parseInt(probe.await(PORT, 30_000));
            List<String> cmd = Proc.args(openssl, "s_client", "-connect", "127.0.0.1:" + port, "-servername", "localhost");
            cmd.addAll(List.of(clientArgs));
            String alert;
            try (Proc client = new Proc(cmd, dir)) {
                client.closeInput();
                client.waitFor(20_000);
                alert = alertIn(client.output());
            }
            String result = probe.await(RESULT, 20_000);
            Outcome o = new Outcome(result, result.startsWith("OK") ? "none" : alert);
            System.out.println("policy server " + provider + " [" + disabled + "] " + props + " " + List.of(clientArgs) + ": " + o);
            return o;
        }
    }

    private Outcome asClient(String provider, String disabled, String... serverArgs) throws Exception {
        List<String> cmd = Proc.args(openssl, "s_server", "-accept", "127.0.0.1:0", "-naccept", "1",
                "-cert", rsaChain.toString(), "-key", rsaKey.toString());
        cmd.addAll(List.of(serverArgs));
        try (Proc server = new Proc(cmd, dir)) {
            int port = Integer.parseInt(server.await(OpenSslServerInteropTest.ACCEPT, 10_000));
            String result;
            try (Proc probe = Proc.start(dir, probeCommand(disabled, List.of(), "client", provider,
                    Integer.toString(port), caPem.toString()))) {
                result = probe.await(RESULT, 30_000);
            }
            server.waitFor(20_000);
            Outcome o = new Outcome(result, result.startsWith("OK") ? "none" : alertIn(server.output()));
            System.out.println("policy client " + provider + " [" + disabled + "] " + List.of(serverArgs) + ": " + o);
            return o;
        }
    }

    private static String alertIn(String opensslOutput) {
        Matcher m = ALERT.matcher(opensslOutput);
        return m.find() ? m.group(1) : "none";
    }

    private static String[] probeCommand(String disabled, List<String> props, String... args) throws Exception {
        Path security = Files.createTempFile(dir, "policy", ".security");
        Files.writeString(security, "jdk.tls.disabledAlgorithms=" + disabled + "\n");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Djava.security.properties=" + security);
        cmd.addAll(props);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(PolicyProbe.class.getName());
        cmd.addAll(List.of(args));
        assertTrue(Files.exists(security));
        return cmd.toArray(new String[0]);
    }
}
