package io.tlsaccel.crypto.kem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsaccel.crypto.kem.MlKem768.InvalidKemInputException;
import io.tlsaccel.testutil.Wycheproof;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ML-KEM-768 on every implementation this JVM has, against Wycheproof (key generation from
 * seeds, deterministic encapsulation, decapsulation incl. implicit rejection, encapsulation
 * keys that fail the modulus check) and against each other.
 */
class MlKem768Test {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static List<MlKem768.Implementation> implementations() {
        List<MlKem768.Implementation> out = new ArrayList<>(List.of(BouncyCastleMlKem.INSTANCE));
        if (JdkMlKem.INSTANCE != null) {
            out.add(JdkMlKem.INSTANCE);
        } else {
            System.out.println("JDK ML-KEM not tested here (" + Runtime.version() + "): " + JdkMlKem.PROBLEM);
        }
        return out;
    }

    @Test
    void theJdkIsUsedWhereItHasMlKem() {
        if (Runtime.version().feature() >= 24) {
            assertTrue(JdkMlKem.INSTANCE != null, String.valueOf(JdkMlKem.PROBLEM));
            assertEquals(System.getProperty(MlKem768.PROPERTY) == null ? "jdk" : MlKem768.implementation(), MlKem768.implementation());
        } else {
            assertEquals("bc", MlKem768.implementation());
        }
        assertEquals("bc", MlKem768.select("bc").name());
    }

    @Test
    void wycheproofKeyGenerationAndDecapsulation() throws Exception {
        int checked = 0;
        for (JsonNode t : Wycheproof.tests("mlkem_768_test.json")) {
            String id = "tcId " + t.get("tcId").asInt();
            byte[] seed = Wycheproof.hex(t, "seed");
            byte[] ek = Wycheproof.hex(t, "ek");
            byte[] c = Wycheproof.hex(t, "c");
            byte[] k = Wycheproof.hex(t, "K");
            boolean valid = t.get("result").asText().equals("valid");
            if (!valid && seed.length != 64) {
                assertThrows(IllegalArgumentException.class, () -> BouncyCastleMlKem.fromSeed(seed), id);
                continue;
            }
            MlKem768.KeyPair bc = BouncyCastleMlKem.fromSeed(seed);
            if (!valid) {
                // the other invalid cases carry a ciphertext of the wrong length
                assertThrows(InvalidKemInputException.class, () -> bc.decapsulate(c), id);
                continue;
            }
            assertArrayEquals(ek, bc.encapsulationKey(), id);
            assertArrayEquals(k, bc.decapsulate(c), id);
            if (JdkMlKem.INSTANCE != null) {
                MlKem768.KeyPair jdk = JdkMlKem.INSTANCE.fromExpanded(BouncyCastleMlKem.expanded(bc), ek);
                assertArrayEquals(k, jdk.decapsulate(c), id + " (JDK)");
            }
            checked++;
        }
        assertTrue(checked > 100, "valid cases checked: " + checked);
    }

    @Test
    void wycheproofEncapsulation() throws Exception {
        int refused = 0;
        for (JsonNode t : Wycheproof.tests("mlkem_768_encaps_test.json")) {
            String id = "tcId " + t.get("tcId").asInt();
            byte[] ek = Wycheproof.hex(t, "ek");
            if (t.get("result").asText().equals("invalid")) {
                assertThrows(InvalidKemInputException.class, () -> MlKem768.encapsulate(ek, RANDOM), id);
                refused++;
                continue;
            }
            assertDoesNotThrow(() -> MlKem768.checkEncapsulationKey(ek), id);
            MlKem768.Encapsulation e = BouncyCastleMlKem.encapsulate(ek, Wycheproof.hex(t, "m"));
            assertArrayEquals(Wycheproof.hex(t, "c"), e.ciphertext(), id);
            assertArrayEquals(Wycheproof.hex(t, "K"), e.sharedSecret(), id);
        }
        assertTrue(refused > 0);
    }

    @Test
    void wycheproofSemiExpandedDecapsulation() throws Exception {
        for (JsonNode t : Wycheproof.tests("mlkem_768_semi_expanded_decaps_test.json")) {
            String id = "tcId " + t.get("tcId").asInt() + " " + t.path("comment").asText();
            byte[] c = Wycheproof.hex(t, "c");
            if (t.get("result").asText().equals("valid")) {
                if (JdkMlKem.INSTANCE != null) {
                    MlKem768.KeyPair jdk = JdkMlKem.INSTANCE.fromExpanded(Wycheproof.hex(t, "dk"), Wycheproof.hex(t, "ek"));
                    assertArrayEquals(Wycheproof.hex(t, "K"), jdk.decapsulate(c), id);
                }
            } else if (c.length != MlKem768.CIPHERTEXT_LENGTH) {
                MlKem768.KeyPair ours = MlKem768.generate(RANDOM);
                assertThrows(InvalidKemInputException.class, () -> ours.decapsulate(c), id);
            }
            // invalid decapsulation keys: we never import one (our keys are made here)
        }
    }

    @Test
    void implementationsAgreeBothWays() throws Exception {
        List<MlKem768.Implementation> all = implementations();
        for (int i = 0; i < 20; i++) {
            for (MlKem768.Implementation keyHolder : all) {
                MlKem768.KeyPair pair = keyHolder.generate(RANDOM);
                assertEquals(MlKem768.ENCAPSULATION_KEY_LENGTH, pair.encapsulationKey().length);
                for (MlKem768.Implementation sender : all) {
                    MlKem768.Encapsulation e = sender.encapsulate(pair.encapsulationKey(), RANDOM);
                    assertEquals(MlKem768.CIPHERTEXT_LENGTH, e.ciphertext().length);
                    assertArrayEquals(e.sharedSecret(), pair.decapsulate(e.ciphertext()), keyHolder.name() + "<-" + sender.name());
                    byte[] tampered = e.ciphertext().clone();
                    tampered[RANDOM.nextInt(tampered.length)] ^= 1;
                    byte[] rejected = pair.decapsulate(tampered); // implicit rejection: a different secret, no error
                    assertEquals(MlKem768.SHARED_SECRET_LENGTH, rejected.length);
                    assertFalse(Arrays.equals(e.sharedSecret(), rejected));
                }
            }
        }
    }

    @Test
    void encapsulationKeysAreCheckedBeforeUse() {
        byte[] ek = MlKem768.generate(RANDOM).encapsulationKey();
        assertDoesNotThrow(() -> MlKem768.checkEncapsulationKey(ek));
        for (int len : new int[] {0, 32, 1183, 1185, 1216}) {
            assertThrows(InvalidKemInputException.class, () -> MlKem768.encapsulate(Arrays.copyOf(ek, len), RANDOM));
        }
        for (int coefficient = 0; coefficient < 768; coefficient += 97) { // set one 12-bit coefficient to q
            byte[] bad = ek.clone();
            int byteIndex = coefficient / 2 * 3;
            if (coefficient % 2 == 0) {
                bad[byteIndex] = (byte) (3329 & 0xff);
                bad[byteIndex + 1] = (byte) ((bad[byteIndex + 1] & 0xf0) | (3329 >> 8));
            } else {
                bad[byteIndex + 1] = (byte) ((bad[byteIndex + 1] & 0x0f) | ((3329 & 0x0f) << 4));
                bad[byteIndex + 2] = (byte) (3329 >> 4);
            }
            assertThrows(InvalidKemInputException.class, () -> MlKem768.checkEncapsulationKey(bad), "coefficient " + coefficient);
        }
        byte[] lastRhoByteChanged = ek.clone(); // the 32-byte seed rho is not range-checked
        lastRhoByteChanged[ek.length - 1] ^= (byte) 0xff;
        assertDoesNotThrow(() -> MlKem768.checkEncapsulationKey(lastRhoByteChanged));
    }

    @Test
    void noSecretInToString() {
        MlKem768.Encapsulation e = new MlKem768.Encapsulation(new byte[1088], new byte[] {0x5a, 0x5a});
        assertFalse(e.toString().contains("90"));
        assertFalse(e.toString().contains("5a"));
    }
}
