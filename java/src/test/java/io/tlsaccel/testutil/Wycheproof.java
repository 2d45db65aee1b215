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
 * are never copied into the project. Absent folder: the test is skipped with the reason
 * printed, unless the environment says {@code CI=true}, where that is a failure.
 */
public final class Wycheproof {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    /** One AEAD case; byte fields decoded from hex. */
    public record AeadCase(int tcId, byte[] key, byte[] iv, byte[] aad, byte[] msg, byte[] ct, byte[] tag,
                           String result, List<String> flags) {
    }

    /** One MAC case: {@code tagSize} is the group's tag size in bits (may be truncated). */
    public record MacCase(int tcId, byte[] key, byte[] msg, byte[] tag, int tagSize, String result) {
    }

    private Wycheproof() {
    }

    /** The vector folder, or a skip (a failure under CI=true) when it is absent. */
    public static Path dir() {
        String name = System.getProperty("wycheproof.dir");
        Path dir = name == null ? null : Path.of(name);
        if (dir == null || !Files.isDirectory(dir)) {
            String reason = "Wycheproof vectors not found (wycheproof.dir=" + name + ")";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(reason + " and CI=true: they must be there");
            }
            System.out.println("SKIPPED: " + reason);
            Assumptions.assumeTrue(false, reason);
        }
        return dir;
    }

    /** The parsed JSON of one vector file. */
    public static JsonNode file(String fileName) {
        try {
            return JSON.readTree(dir().resolve(fileName).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<AeadCase> aeadCases(String fileName) {
        List<AeadCase> cases = new ArrayList<>();
        for (JsonNode group : file(fileName).get("testGroups")) {
            for (JsonNode t : group.get("tests")) {
                List<String> flags = new ArrayList<>();
                t.path("flags").forEach(f -> flags.add(f.asText()));
                cases.add(new AeadCase(t.get("tcId").asInt(), hex(t, "key"), hex(t, "iv"), hex(t, "aad"),
                        hex(t, "msg"), hex(t, "ct"), hex(t, "tag"), t.get("result").asText(), List.copyOf(flags)));
            }
        }
        return cases;
    }

    public static List<MacCase> macCases(String fileName) {
        List<MacCase> cases = new ArrayList<>();
        for (JsonNode group : file(fileName).get("testGroups")) {
            int tagSize = group.path("tagSize").asInt();
            for (JsonNode t : group.get("tests")) {
                cases.add(new MacCase(t.get("tcId").asInt(), hex(t, "key"), hex(t, "msg"), hex(t, "tag"),
                        tagSize, t.get("result").asText()));
            }
        }
        return cases;
    }

    static byte[] hex(JsonNode test, String field) {
        JsonNode v = test.get(field);
        return v == null ? new byte[0] : HEX.parseHex(v.asText());
    }
}
