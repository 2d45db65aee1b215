package io.tlsaccel.tls.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TLS 1.3 ECDSA schemes name a curve (RFC 8446 4.2.3): the key's named curve must be that one, not just as wide. */
class SignatureSchemeCurveTest {
    private static final Provider BC = new BouncyCastleProvider();

    private static KeyPair ecKey(String curve, String provider) throws Exception {
        KeyPairGenerator g = provider.equals("BC") ? KeyPairGenerator.getInstance("EC", BC) : KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    @ParameterizedTest
    @CsvSource({
        // Same width, other curve: refused.
        "brainpoolP256r1, BC, ECDSA_SECP256R1_SHA256, false",
        "secp256k1, BC, ECDSA_SECP256R1_SHA256, false",
        "brainpoolP384r1, BC, ECDSA_SECP384R1_SHA384, false",
        "brainpoolP512r1, BC, ECDSA_SECP521R1_SHA512, false",
        // The named curve itself, whichever provider made the key: accepted.
        "secp256r1, SunEC, ECDSA_SECP256R1_SHA256, true",
        "secp256r1, BC, ECDSA_SECP256R1_SHA256, true",
        "secp384r1, SunEC, ECDSA_SECP384R1_SHA384, true",
        "secp384r1, BC, ECDSA_SECP384R1_SHA384, true",
        "secp521r1, SunEC, ECDSA_SECP521R1_SHA512, true",
        // Another NIST curve: refused, as before.
        "secp384r1, SunEC, ECDSA_SECP256R1_SHA256, false",
    })
    void ecdsaSchemeMatchesOnlyItsNamedCurve(String curve, String provider, SignatureScheme scheme, boolean expected)
            throws Exception {
        KeyPair kp = ecKey(curve, provider);
        assertEquals(expected, scheme.matches(kp.getPublic()), "public key");
        assertEquals(expected, scheme.matches(kp.getPrivate()), "private key");
    }
}
