package io.tlsaccel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
import io.tlsaccel.testutil.TestPki.KeyType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI over real sockets: {@code server} (in this JVM, {@code --port 0}) answering HTTP and
 * echo to {@code client} (in this JVM, standard streams swapped), client authentication, the
 * client's refusals, and {@code demo} in separate JVMs (the backend is chosen once per JVM).
 */
class CliTlsTest {
    static Credential ca;
    static Credential otherCa;

    @TempDir
    static Path dir;

    static String ca() {
        return dir.resolve("ca.pem").toString();
    }

    static String file(String name) {
        return dir.resolve(name).toString();
    }

    @BeforeAll
    static void pki() throws Exception {
        ca = TestPki.newCa("CLI test CA");
        otherCa = TestPki.newCa("Some other CA");
        writeCerts("ca.pem", ca.certificate());
        writeCerts("other-ca.pem", otherCa.certificate());
        Credential server = TestPki.issue(ca, KeyType.EC_P256, "localhost");
        writeCerts("server.pem", server.chain());
        writeKey("server.key", server);
        Credential client = TestPki.issue(ca, KeyType.RSA);
        writeCerts("client.pem", client.chain());
        writeKey("client.key", client);
    }

    static void writeCerts(String name, X509Certificate... certs) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : certs) {
            sb.append(pem("CERTIFICATE", c.getEncoded()));
        }
        Files.writeString(dir.resolve(name), sb);
    }

    static void writeKey(String name, Credential c) throws Exception {
        Files.writeString(dir.resolve(name), pem("PRIVATE KEY", c.keyPair().getPrivate().getEncoded()));
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    /** Runs the CLI in this JVM with the given standard input; stdout and stderr captured. */
    static synchronized Run cli(String stdin, String... args) {
        InputStream oldIn = System.in;
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = Main.run(args);
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        Run r = new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        oldOut.println("tlsaccel " + String.join(" ", args) + "\n" + r);
        return r;
    }

    static String[] args(String... a) {
        return a;
    }

    @Test
    void serverAnswersHttpGetFromClient() throws Exception {
        try (CliServer server = CliServer.start("--port", "0", "--cert", file("server.pem"), "--key", file("server.key"))) {
            assertTrue(server.output().contains("listening on https://127.0.0.1:" + server.port()), server.output());
            Run r = cli("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                    "client", "127.0.0.1:" + server.port(), "--servername", "localhost", "--ca", ca());
            assertEquals(0, r.exit, r.toString());
            assertTrue(r.out.startsWith("HTTP/1.1 200 OK\r\n"), r.toString());
            assertTrue(r.out.contains("<h1>Hello over TLSv1.3</h1>"), r.toString());
            assertTrue(r.out.contains("cipher suite TLS_AES_128_GCM_SHA256"), r.toString());
        }
    }

    /** ticket-keys makes a key file; two servers sharing it resume each other's sessions; client --reconnect reports it. */
    @Test
    void reconnectingClientResumesAcrossServersSharingTicketKeys(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String keys = dir.resolve("fleet.keys").toString();
        Run created = cli("", "ticket-keys", keys);
        assertEquals(0, created.exit, created.toString());
        assertTrue(created.out.contains("created"), created.toString());
        try (CliServer server = CliServer.start("--port", "0", "--cert", file("server.pem"), "--key", file("server.key"),
                "--ticket-keys", keys)) {
            for (String version : new String[] {"TLSv1.3", "TLSv1.2"}) {
                Run r = cli("", "client", "127.0.0.1:" + server.port(), "--servername", "localhost", "--ca", ca(),
                        "--tls", version, "--reconnect", "2");
                assertEquals(0, r.exit, r.toString());
                assertTrue(r.out.contains("connection 1: " + version), r.toString());
                assertTrue(r.out.contains("connection 1: " + version) && r.out.matches("(?s).*connection 1: [^\n]*resumed: no.*"), r.toString());
                assertTrue(r.out.contains("2 of 2 reconnections resumed"), r.toString());
            }
        }
    }

    @Test
    void verboseClientShowsHandshakeAndSession() throws Exception {
        try (CliServer server = CliServer.start("--port", "0", "--cert", file("server.pem"), "--key", file("server.key"),
                "--suites", "TLS_CHACHA20_POLY1305_SHA256")) {
            Run r = cli("GET / HTTP/1.0\r\n\r\n",
                    "client", "localhost:" + server.port(), "--ca", ca(), "-v");
            assertEquals(0, r.exit, r.toString());
            assertTrue(r.out.contains("HTTP/1.0 200 OK"), r.toString());
            assertTrue(r.err.contains("client sends    ClientHello"), r.toString());
            assertTrue(r.err.contains("handshake complete"), r.toString());
            assertTrue(r.err.contains("cipher suite: TLS_CHACHA20_POLY1305_SHA256"), r.toString());
            assertTrue(r.err.contains("resumed:      no"), r.toString());
            assertTrue(r.err.contains("CN=localhost"), r.toString());
        }
    }

    @Test
    void echoServer() throws Exception {
        try (CliServer server = CliServer.start("--port", "0", "--echo", "--cert", file("server.pem"),
                "--key", file("server.key"))) {
            assertTrue(server.output().contains("listening on tls://127.0.0.1:" + server.port()), server.output());
            String text = "hello echo\n" + "x".repeat(40_000) + "\nbye\n";
            Run r = cli(text, "client", "127.0.0.1:" + server.port(), "--servername", "localhost", "--ca", ca());
            assertEquals(0, r.exit, r.toString());
            assertEquals(text, r.out);
        }
    }

    @Test
    void needClientAuthWithCa() throws Exception {
        try (CliServer server = CliServer.start("--port", "0", "--echo", "--cert", file("server.pem"),
                "--key", file("server.key"), "--need-client-auth", "--ca", ca())) {
            Run ok = cli("with a certificate\n", "client", "127.0.0.1:" + server.port(), "--servername", "localhost",
                    "--ca", ca(), "--cert", file("client.pem"), "--key", file("client.key"));
            assertEquals(0, ok.exit, ok.toString());
            assertEquals("with a certificate\n", ok.out);

            // Without a certificate the server refuses: in TLS 1.3 the client learns it from an
            // alert after its Finished, so nothing is echoed and the reason is printed.
            Run refused = cli("without\n", "client", "127.0.0.1:" + server.port(), "--servername", "localhost",
                    "--ca", ca());
            assertFalse(refused.out.contains("without"), refused.toString());
            assertTrue(refused.err.contains("certificate_required"), refused.toString());
        }
    }

    @Test
    void needClientAuthWithoutCaIsAUsageError() {
        Run r = cli("", "server", "--port", "0", "--need-client-auth");
        assertNotEquals(0, r.exit, r.toString());
        assertTrue(r.err.contains("need --ca"), r.toString());
    }

    @Test
    void clientRefusesUntrustedServer() throws Exception {
        try (CliServer server = CliServer.start("--port", "0", "--echo", "--cert", file("server.pem"),
                "--key", file("server.key"))) {
            Run r = cli("secret\n", "client", "127.0.0.1:" + server.port(), "--servername", "localhost",
                    "--ca", file("other-ca.pem"));
            assertNotEquals(0, r.exit, r.toString());
            assertTrue(r.err.contains("handshake failed"), r.toString());
            assertTrue(Pattern.compile("(?i)PKIX|trust|certification path").matcher(r.err).find(), r.toString());
            assertFalse(r.out.contains("secret"), r.toString());

            // and a fresh self-signed server is not trusted by the JDK's default anchors either
            try (CliServer selfSigned = CliServer.start("--port", "0", "--echo")) {
                assertTrue(selfSigned.output().contains("SHA-256 fingerprint: "), selfSigned.output());
                Run d = cli("secret\n", "client", "localhost:" + selfSigned.port());
                assertNotEquals(0, d.exit, d.toString());
                assertTrue(d.err.contains("handshake failed"), d.toString());
            }
        }
    }

    @Test
    void clientRefusesWrongServerName() throws Exception {
        try (CliServer server = CliServer.start("--port", "0", "--echo", "--cert", file("server.pem"),
                "--key", file("server.key"))) {
            Run r = cli("secret\n", "client", "127.0.0.1:" + server.port(), "--servername", "wrong.example",
                    "--ca", ca());
            assertNotEquals(0, r.exit, r.toString());
            assertTrue(r.err.contains("handshake failed"), r.toString());
            assertTrue(r.err.contains("wrong.example"), r.toString());
            assertFalse(r.out.contains("secret"), r.toString());
        }
    }

    /** A JVM running the CLI from the test class path (the shaded jar does not exist during mvn test). */
    static Run jvm(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        Path out = dir.resolve("jvm-" + System.nanoTime() + ".out");
        Path err = dir.resolve("jvm-" + System.nanoTime() + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            p.getOutputStream().close();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                throw new AssertionError(String.join(" ", cmd) + " still running after 120 s:\n" + Files.readString(out));
            }
            Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
            System.out.println(String.join(" ", args) + "\n" + r);
            return r;
        } finally {
            p.destroyForcibly();
        }
    }

    static void checkDemo(Run r) {
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("tlsaccel demo: TLSv1.3 server and client on loopback, mutual authentication"), r.toString());
        for (String step : List.of("client sends    ClientHello", "server receives ClientHello", "server sends    ServerHello",
                "server sends    CertificateRequest", "client sends    Certificate", "client sends    CertificateVerify",
                "server receives Finished")) {
            assertTrue(r.out.contains(step), "missing '" + step + "' in\n" + r);
        }
        assertTrue(Pattern.compile("handshake complete in [0-9.]+ ms").matcher(r.out).find(), r.toString());
        assertTrue(r.out.contains("server sees client CN=demo client"), r.toString());
        assertTrue(Pattern.compile("moved 4 MiB each way in [0-9.]+ s: [0-9]+ MB/s in total").matcher(r.out).find(),
                r.toString());
    }

    @Test
    void demoRuns() throws Exception {
        Run r = jvm("demo", "--mib", "4", "--compare-seconds", "1", "--compare-mib", "4");
        checkDemo(r);
        assertTrue(r.out.contains("second connection: handshake"), r.toString());
        assertTrue(r.out.contains("resumed: yes (client), yes (server)"), r.toString());
        assertTrue(r.out.contains("side by side (TLSv1.3"), r.toString());
        assertTrue(Pattern.compile("full handshakes/s +[0-9,]+ +[0-9,]+ +[0-9.]+x").matcher(r.out).find(), r.toString());
        assertTrue(Pattern.compile("MB/s client -> server +[0-9,]+ +[0-9,]+ +[0-9.]+x").matcher(r.out).find(), r.toString());
        assertTrue(r.out.contains("TlsAccel") && r.out.contains("SunJSSE"), r.toString());
    }

    @Test
    void demoRunsOnJavaBackend() throws Exception {
        Run r = jvm("demo", "--backend", "java", "--mib", "4", "--compare-seconds", "0");
        checkDemo(r);
        assertTrue(Pattern.compile("record crypto: java").matcher(r.out).find(), r.toString());
    }
}
