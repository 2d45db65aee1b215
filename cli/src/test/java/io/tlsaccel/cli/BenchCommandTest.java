package io.tlsaccel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.Backends;
import io.tlsaccel.crypto.MacAlgorithm;
import io.tlsaccel.crypto.jni.NativeBackend;
import io.tlsaccel.nativelib.NativeLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code bench --seconds 1}: a table row per path, the auto line, a progress bar on stderr. */
class BenchCommandTest {

    record Output(int exit, String out, String err) {
    }

    static Output run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = Main.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        Output o = new Output(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        oldOut.println(o.out);
        return o;
    }

    /** The rows of one algorithm's block in the table: the path column of each. */
    static List<String> rows(String table, String algorithm) {
        List<String> paths = new ArrayList<>();
        boolean in = false;
        for (String line : table.split("\n")) {
            if (line.startsWith(algorithm + " ")) {
                in = true;
            } else if (in && !line.startsWith(" ")) {
                break;
            }
            if (in) {
                String[] cols = line.substring(22).trim().split("\\s+");
                paths.add(cols[0]);
            }
        }
        return paths;
    }

    @Test
    void oneSecondRunPrintsEveryPathAndTheAutoChoice() {
        Output o = run("bench", "--seconds", "1");
        assertEquals(0, o.exit, o.out + o.err);

        assertTrue(Pattern.compile("(?m)^auto chose: ").matcher(o.out).find(), o.out);
        assertTrue(o.out.contains("1 KiB MB/s") && o.out.contains("16 KiB MB/s"), o.out);

        Backends.Selection sel = Backends.selection();
        String chosen = sel.backend() == null ? "nothing" : sel.backend().name();
        assertTrue(o.out.contains("auto chose: " + chosen), o.out);
        assertTrue(o.out.contains(sel.reason()), o.out);
        List<String> expected = new ArrayList<>();
        List<String> expectedMac = new ArrayList<>();
        if (sel.backend() != null) {
            expected.add("auto");
            expectedMac.add("auto");
        }
        if (NativeLoader.status().usable()) {
            NativeBackend.usableImplementations(AeadAlgorithm.AES_128_GCM).forEach(i -> expected.add("native/" + i));
            NativeBackend.usableImplementations(MacAlgorithm.HMAC_SHA256).forEach(i -> expectedMac.add("native/" + i));
        }
        expected.addAll(List.of("java", "SunJCE", "BouncyCastle"));
        expectedMac.addAll(List.of("java", "SunJCE", "BouncyCastle"));
        assertEquals(expected, rows(o.out, "AES-128-GCM seal"), o.out);
        assertFalse(rows(o.out, "ChaCha20-Poly1305 seal").isEmpty(), o.out);
        assertEquals(expectedMac, rows(o.out, "HMAC-SHA-256"), o.out);

        // every cell measured (no "error"), each with a number and a ratio to SunJCE
        assertFalse(Pattern.compile("(?m)^(AES|ChaCha|HMAC| ).* error( |$)").matcher(o.out).find(), o.out);
        assertFalse(o.out.contains("\n! "), o.out);
        assertTrue(Pattern.compile("(?m)^\\s+SunJCE\\s+[0-9.]+\\s+1\\.00\\s+[0-9.]+\\s+1\\.00$").matcher(o.out).find(),
                o.out);
        // the progress bar: one line rewritten with carriage returns, on stderr only
        assertTrue(o.err.contains("\r[") && o.err.contains("] "), o.err);
        assertFalse(o.out.contains("\r"), "no progress bar on stdout");
    }

    @Test
    void badOptionsAreRefused() {
        assertEquals(2, run("bench", "--seconds", "0").exit);
        assertEquals(2, run("bench", "--algorithms", "rot13").exit);
    }
}
