package io.tlsaccel.integration;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
import io.tlsaccel.testutil.TestPki.KeyType;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Headless Chromium against Jetty with h2 over TLS 1.3 on our provider. Optional: runs where
 * Debian's {@code chromium} is on the PATH (CI installs it), skips with a printed reason elsewhere.
 */
class ChromiumTest {

    @Test
    void chromiumLoadsPageOverH2(@TempDir Path profile) throws Exception {
        String dom = loadPage(profile);
        assertTrue(dom.contains("HTTP/2.0 TLSv1.3"), dom);
    }

    /**
     * Our server limited to X25519MLKEM768 (draft-ietf-tls-ecdhe-mlkem): the page loads only if
     * Chromium, which offers the hybrid first, agreed on it with us.
     */
    @Test
    void chromiumAgreesOnX25519MLKEM768(@TempDir Path profile) throws Exception {
        String old = System.getProperty("jdk.tls.namedGroups");
        System.setProperty("jdk.tls.namedGroups", "X25519MLKEM768");
        try {
            String dom = loadPage(profile);
            assertTrue(dom.contains("HTTP/2.0 TLSv1.3"), dom);
        } finally {
            if (old == null) {
                System.clearProperty("jdk.tls.namedGroups");
            } else {
                System.setProperty("jdk.tls.namedGroups", old);
            }
        }
    }

    /** The DOM headless Chromium dumps for a page of a Jetty server on our provider (TLS 1.3). */
    private static String loadPage(Path profile) throws Exception {
        String chromium = onPath("chromium");
        if (chromium == null) {
            System.out.println("SKIPPED: chromium is not on the PATH (Debian package chromium)");
            Assumptions.abort("chromium not installed");
        }
        Credential ca = TestPki.newCa("Chromium test CA");
        Credential leaf = TestPki.issue(ca, KeyType.EC_P256, "localhost");
        try (TestServer server = ServerKind.JETTY.start(leaf, "TLSv1.3")) {
            List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + profile, "--ignore-certificate-errors", "--dump-dom",
                    "https://localhost:" + server.port() + "/"));
            if ("root".equals(System.getProperty("user.name"))) {
                command.add(1, "--no-sandbox");
            }
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium did not exit");
            return dom;
        }
    }

    private static String onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, tool);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }
}
