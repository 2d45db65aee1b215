package io.tlsaccel.tls.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsaccel.testutil.Wycheproof;
import io.tlsaccel.tls.message.TlsAlertException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The P-256 and P-384 key shares against Wycheproof's ECDH vectors, on the path a peer's
 * key_exchange takes ({@link NamedGroup#decodePublic} then {@link NamedGroup#agree}), on the
 * JDK, on Bouncy Castle and on ACCP: valid points give the expected secret; points off the curve,
 * compressed or badly encoded ones are refused with an alert, never agreed with.
 *
 * <p>The P-256 file gives raw points, as TLS sends them. The P-384 file gives
 * SubjectPublicKeyInfo structures; TLS names the curve in the group, so only those naming
 * secp384r1 with an uncompressed point are taken, as the raw point they carry (the others test
 * ASN.1 parsing of explicit curve parameters, which no key share has).
 */
class EcdhWycheproofTest {
    private static final HexFormat HEX = HexFormat.of();
    /** SubjectPublicKeyInfo of a secp384r1 key up to the uncompressed point's 0x04. */
    private static final String P384_SPKI_PREFIX = "3076301006072a8648ce3d020106052b8104002203620004";

    @ParameterizedTest(name = "{0} on {2}")
    @CsvSource({
        "ecdh_secp256r1_ecpoint_test.json, SECP256R1, jdk",
        "ecdh_secp256r1_ecpoint_test.json, SECP256R1, bc",
        "ecdh_secp256r1_ecpoint_test.json, SECP256R1, accp",
        "ecdh_secp384r1_test.json, SECP384R1, jdk",
        "ecdh_secp384r1_test.json, SECP384R1, bc",
        "ecdh_secp384r1_test.json, SECP384R1, accp",
        "ecdh_secp256r1_ecpoint_test.json, SECP256R1, auto",
        "ecdh_secp384r1_test.json, SECP384R1, auto",
    })
    void agreesAsWycheproofSays(String file, NamedGroup group, String providerName) throws Exception {
        Provider p = switch (providerName) {
            case "bc" -> BouncyCastle.provider();
            case "accp" -> CorrettoCrypto.provider(); // null where it cannot load: the JDK again
            case "auto" -> group.defaultProvider();
            default -> null;
        };
        boolean auto = providerName.equals("auto");
        AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
        ap.init(new ECGenParameterSpec(group.jdkName()));
        ECParameterSpec params = ap.getParameterSpec(ECParameterSpec.class);
        KeyFactory kf = p == null ? KeyFactory.getInstance("EC") : KeyFactory.getInstance("EC", p);
        List<String> wrong = new ArrayList<>();
        int valid = 0;
        int refused = 0;
        for (JsonNode g : Wycheproof.file(file).get("testGroups")) {
            for (JsonNode t : g.get("tests")) {
                String result = t.get("result").asText();
                byte[] point = rawPoint(file, HEX.parseHex(t.get("public").asText()));
                if (point == null || result.equals("acceptable")) {
                    continue;
                }
                PrivateKey priv = kf.generatePrivate(new ECPrivateKeySpec(
                        new BigInteger(1, HEX.parseHex(t.get("private").asText())), params));
                byte[] shared;
                try {
                    PublicKey peer = auto ? group.decodePublic(point) : group.decodePublic(point, p);
                    shared = auto ? group.agree(priv, peer) : group.agree(priv, peer, p);
                } catch (TlsAlertException e) {
                    shared = null;
                }
                String id = "tcId " + t.get("tcId").asInt() + " (" + t.get("comment").asText() + ")";
                if (result.equals("valid")) {
                    valid++;
                    if (shared == null || !Arrays.equals(HEX.parseHex(t.get("shared").asText()), shared)) {
                        wrong.add(id + ": " + (shared == null ? "refused" : "wrong secret"));
                    }
                } else {
                    refused++;
                    if (shared != null) {
                        wrong.add(id + ": accepted");
                    }
                }
            }
        }
        assertTrue(valid > 100 && refused >= 16, file + ": " + valid + " valid, " + refused + " invalid checked");
        assertEquals(List.of(), wrong, file + " on " + providerName);
    }

    /** On Linux x86_64 the tests have ACCP, and it is what the NIST curves use by default. */
    @org.junit.jupiter.api.Test
    void correttoRunsTheNistCurvesWhereItLoads() {
        if (!System.getProperty("os.arch").matches("amd64|x86_64") || !System.getProperty("os.name").startsWith("Linux")) {
            return;
        }
        assertEquals(CorrettoCrypto.provider(), NamedGroup.SECP256R1.defaultProvider(), CorrettoCrypto.status());
        assertEquals(CorrettoCrypto.provider(), NamedGroup.SECP384R1.defaultProvider());
        assertEquals(BouncyCastle.provider(), NamedGroup.X25519.defaultProvider());
    }

    /** The point as a key share carries it; null for SubjectPublicKeyInfos not naming P-384. */
    private static byte[] rawPoint(String file, byte[] pub) {
        if (file.contains("ecpoint")) {
            return pub;
        }
        String hex = HEX.formatHex(pub);
        return hex.startsWith(P384_SPKI_PREFIX) && pub.length == P384_SPKI_PREFIX.length() / 2 + 96
                ? Arrays.copyOfRange(pub, pub.length - 97, pub.length) : null;
    }
}
