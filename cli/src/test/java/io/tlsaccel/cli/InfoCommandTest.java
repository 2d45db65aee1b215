package io.tlsaccel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.jni.NativeBackend;
import io.tlsaccel.nativelib.NativeLoader;
import io.tlsaccel.testutil.AeadPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code info --json} in fresh JVMs, so each run makes the backend choice anew under other
 * properties and environment: what it says must match what the engine does.
 */
class InfoCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int exit, JsonNode json, String stderr) {
    }

    @BeforeAll
    static void nativeMustLoadInCi() {
        AeadPaths.requireNativeInCi();
    }

    static Run info(Map<String, String> env, String... jvmArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "info", "--json"));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("TLSACCEL_BACKEND");
        pb.environment().remove("TLSACCEL_CPU_MASK");
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "info did not finish");
        String text = new String(out, StandardCharsets.UTF_8).trim();
        assertTrue(text.startsWith("{"), () -> "no JSON on stdout: " + text + "\nstderr: " + err);
        return new Run(p.exitValue(), JSON.readTree(text), err);
    }

    @Test
    void defaultChoosesNativeHere() throws Exception {
        assumeTrue(NativeLoader.status().usable(), "native unusable here");
        Run r = info(Map.of());
        assertEquals(0, r.exit());
        assertEquals("native", r.json().get("backend").asText(), r.json().toString());
        assertEquals("passed", r.json().get("selfTest").asText());
        assertTrue(r.json().get("cpuFeatures").toString().contains("aesni"));
        assertTrue(r.json().get("implementation").get("AES-128-GCM").asText().startsWith("native/"));
    }

    @Test
    void forcedJavaSaysSo() throws Exception {
        Run r = info(Map.of(), "-Dtlsaccel.backend=java");
        assertEquals("java", r.json().get("backend").asText());
        assertTrue(r.json().get("reason").asText().contains("forced"));
        // ours on a JVM without AES intrinsics, the JDK's where the JIT has them
        assertTrue(r.json().get("implementation").get("AES-128-GCM").asText().matches("java/(tables|jdk)"),
                r.json().toString());
    }

    @Test
    void environmentVariableChoosesToo() throws Exception {
        Run r = info(Map.of("TLSACCEL_BACKEND", "java"));
        assertEquals("java", r.json().get("backend").asText());
    }

    @Test
    void hiddenLibraryFallsBackToJavaWithTheReason() throws Exception {
        Run r = info(Map.of(), "-Dtlsaccel.native.path=/nonexistent/libtlsaccel.so");
        assertEquals(0, r.exit());
        assertEquals("java", r.json().get("backend").asText());
        assertTrue(r.json().get("reason").asText().contains("/nonexistent/libtlsaccel.so"), r.json().toString());
        assertFalse(r.json().get("native").get("loaded").asBoolean());
        assertEquals("not run", r.json().get("selfTest").asText());
    }

    @Test
    void forcedNativeWhereItCannotRunIsAClearError() throws Exception {
        Run r = info(Map.of(), "-Dtlsaccel.backend=native", "-Dtlsaccel.native.path=/nonexistent/libtlsaccel.so");
        assertNotEquals(0, r.exit());
        assertTrue(r.json().get("backend").isNull());
        assertTrue(r.json().get("reason").asText().contains("unavailable"), r.json().toString());
    }

    @Test
    void maskingEveryFeatureFallsBackToJava() throws Exception {
        assumeTrue(NativeLoader.status().usable(), "native unusable here");
        Run r = info(Map.of("TLSACCEL_CPU_MASK", "all"));
        assertEquals("java", r.json().get("backend").asText());
        assertTrue(r.json().get("reason").asText().contains("AES-NI"), r.json().toString());
        assertEquals(0, r.json().get("cpuFeatures").size());
        assertTrue(r.json().get("cpuFeaturesDetected").size() > 0);
    }

    /** Masking the wider instruction sets walks the dispatcher down its list, one by one. */
    @Test
    void maskingSelectsEachNativeImplementation() throws Exception {
        assumeTrue(NativeLoader.status().usable(), "native unusable here");
        List<String> impls = NativeBackend.usableImplementations(AeadAlgorithm.AES_128_GCM);
        String[] masks = {"", "avx512f", "avx512f,vaes"};
        List<String> seen = new ArrayList<>();
        for (String mask : masks) {
            Run r = info(mask.isEmpty() ? Map.of() : Map.of("TLSACCEL_CPU_MASK", mask));
            seen.add(r.json().get("implementation").get("AES-128-GCM").asText());
        }
        for (String impl : impls) {
            assertTrue(seen.contains("native/" + impl), "implementation " + impl + " never chosen: " + seen);
        }
    }

    @Test
    void extractsIntoTheChosenDirectoryAndLeavesNothing(@TempDir Path dir) throws Exception {
        assumeTrue(NativeLoader.status().usable(), "native unusable here");
        Run r = info(Map.of(), "-Dtlsaccel.native.dir=" + dir);
        assertEquals("native", r.json().get("backend").asText(), r.stderr());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.count(), "extraction left files behind");
        }
    }
}
