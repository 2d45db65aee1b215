package io.tlsaccel.testutil;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Reads Wycheproof test vectors from the folder named by the system property
 * {@code wycheproof.dir} (the pom points it at {@code ../shared/vectors/wycheproof}); they
 * are never copied into the project. Absent folder or file: the test is skipped with the
 * reason printed, unless the environment says {@code CI=true}, where that is a failure.
 *
 * <p>Typical use: {@code for (AeadCase t : Wycheproof.aeadCases("aes_gcm_test.json"))}; the
 * group's key, IV and tag sizes are the lengths of {@code key()}, {@code iv()} and {@code tag()}.
 * The records hold arrays, so their equals/hashCode compare identity; treat them as read-only.
 */
public final class Wycheproof {

    public static final String DIR_PROPERTY = "wycheproof.dir";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    /** One AEAD case; byte fields decoded from hex. {@code result}: valid, invalid or acceptable. */
    public record AeadCase(int tcId, byte[] key, byte[] iv, byte[] aad, byte[] msg, byte[] ct, byte[] tag,
                           String result, List<String> flags) {
        public boolean isValid() {
            return "valid".equals(result);
        }

        public boolean isInvalid() {
            return "invalid".equals(result);
        }
    }

    /** One MAC case: {@code tagSize} is the group's tag size in bits (may be truncated). */
    public record MacCase(int tcId, byte[] key, byte[] msg, byte[] tag, int tagSize, String result) {
        public boolean isValid() {
            return "valid".equals(result);
        }

        public boolean isInvalid() {
            return "invalid".equals(result);
        }
    }

    private Wycheproof() {
    }

    /** The vector folder, or a skip (a failure under CI=true) when it is absent. */
    public static Path dir() {
        String name = System.getProperty(DIR_PROPERTY);
        Path dir = name == null || name.isBlank() ? null : Path.of(name);
        if (dir == null || !Files.isDirectory(dir)) {
            missing("Wycheproof vectors not found (" + DIR_PROPERTY + "=" + name + ")");
        }
        return dir;
    }

    /** The parsed JSON of one vector file (skip, or failure under CI=true, when absent). */
    public static JsonNode file(String fileName) {
        Path file = dir().resolve(fileName);
        if (!Files.isRegularFile(file)) {
            missing("Wycheproof file " + file + " not found");
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<AeadCase> aeadCases(String fileName) {
        JsonNode root = file(fileName);
        List<AeadCase> cases = new ArrayList<>();
        for (JsonNode group : root.get("testGroups")) {
            for (JsonNode t : group.get("tests")) {
                List<String> flags = new ArrayList<>();
                t.path("flags").forEach(f -> flags.add(f.asText()));
                cases.add(new AeadCase(t.get("tcId").asInt(), hex(t, "key"), hex(t, "iv"), hex(t, "aad"),
                        hex(t, "msg"), hex(t, "ct"), hex(t, "tag"), t.get("result").asText(), List.copyOf(flags)));
            }
        }
        checkCount(fileName, root, cases.size());
        return cases;
    }

    public static List<MacCase> macCases(String fileName) {
        JsonNode root = file(fileName);
        List<MacCase> cases = new ArrayList<>();
        for (JsonNode group : root.get("testGroups")) {
            int tagSize = group.path("tagSize").asInt();
            for (JsonNode t : group.get("tests")) {
                cases.add(new MacCase(t.get("tcId").asInt(), hex(t, "key"), hex(t, "msg"), hex(t, "tag"),
                        tagSize, t.get("result").asText()));
            }
        }
        checkCount(fileName, root, cases.size());
        return cases;
    }

    /** Every test of a file, its group's fields copied in under "group." (count checked). */
    public static List<JsonNode> tests(String fileName) {
        JsonNode root = file(fileName);
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode group : root.get("testGroups")) {
            for (JsonNode t : group.get("tests")) {
                com.fasterxml.jackson.databind.node.ObjectNode copy = t.deepCopy();
                group.fields().forEachRemaining(f -> {
                    if (!f.getKey().equals("tests")) {
                        copy.set("group." + f.getKey(), f.getValue());
                    }
                });
                out.add(copy);
            }
        }
        checkCount(fileName, root, out.size());
        return out;
    }

    public static byte[] hex(JsonNode test, String field) {
        JsonNode v = test.get(field);
        return v == null ? new byte[0] : HEX.parseHex(v.asText());
    }

    /** A parse that silently drops cases would make every vector test pass vacuously. */
    private static void checkCount(String fileName, JsonNode root, int parsed) {
        JsonNode declared = root.get("numberOfTests");
        if (declared != null && declared.asInt() != parsed) {
            throw new IllegalStateException(fileName + " declares " + declared.asInt() + " tests, parsed " + parsed);
        }
    }

    private static void missing(String reason) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(reason + " and CI=true: they must be there");
        }
        System.out.println("SKIPPED: " + reason);
        Assumptions.assumeTrue(false, reason);
    }
}
