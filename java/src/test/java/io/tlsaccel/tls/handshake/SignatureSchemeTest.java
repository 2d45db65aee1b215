package io.tlsaccel.tls.handshake;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.tls.handshake.SignatureScheme;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Handshake signatures agree across providers: whichever of the JDK and Bouncy Castle signs
 * (tlsaccel.sig=jdk|bc|accp|auto), and whichever made the key, every mode verifies it, and a
 * changed message or signature is refused.
 */
class SignatureSchemeTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String[] MODES = {"jdk", "bc", "accp", "auto"};

    @ParameterizedTest
    @EnumSource(SignatureScheme.class)
    void everyProviderModeAgrees(SignatureScheme scheme) throws Exception {
        Provider bc = new org.bouncycastle.jce.provider.BouncyCastleProvider();
        Provider accp = CorrettoCrypto.provider();
        for (Provider keyProvider : new Provider[] {null, bc, accp}) {
            if (keyProvider == accp && (accp == null || scheme.keyType().equals("EdDSA"))) {
                continue;
            }
            KeyPair kp = keys(scheme, keyProvider);
            assertTrue(scheme.matches(kp.getPublic()), scheme + " key " + kp.getPublic().getAlgorithm());
            byte[] content = new byte[64 + RANDOM.nextInt(100)];
            RANDOM.nextBytes(content);
            for (String signMode : MODES) {
                byte[] sig = withMode(signMode, () -> scheme.sign(kp.getPrivate(), content, RANDOM));
                for (String verifyMode : MODES) {
                    String where = scheme + " key from " + (keyProvider == null ? "jdk" : keyProvider.getName()) + ", signed by "
                            + signMode + ", verified by " + verifyMode;
                    assertTrue(withMode(verifyMode, () -> scheme.verify(kp.getPublic(), content, sig)), where);
                    byte[] bad = sig.clone();
                    bad[bad.length / 2] ^= 0x10;
                    assertFalse(withMode(verifyMode, () -> scheme.verify(kp.getPublic(), content, bad)), where);
                    byte[] other = content.clone();
                    other[0] ^= 1;
                    assertFalse(withMode(verifyMode, () -> scheme.verify(kp.getPublic(), other, sig)), where);
                }
            }
        }
    }

    private static KeyPair keys(SignatureScheme scheme, Provider p) throws Exception {
        String alg = switch (scheme.keyType()) {
            case "EdDSA" -> "Ed25519";
            default -> scheme.keyType();
        };
        KeyPairGenerator g = p == null ? KeyPairGenerator.getInstance(alg) : KeyPairGenerator.getInstance(alg, p);
        switch (scheme) {
            case ECDSA_SECP256R1_SHA256 -> g.initialize(new ECGenParameterSpec("secp256r1"));
            case ECDSA_SECP384R1_SHA384 -> g.initialize(new ECGenParameterSpec("secp384r1"));
            case ECDSA_SECP521R1_SHA512 -> g.initialize(new ECGenParameterSpec("secp521r1"));
            default -> {
                if (alg.equals("RSA")) {
                    g.initialize(2048);
                }
            }
        }
        return g.generateKeyPair();
    }

    interface Call<T> {
        T run() throws Exception;
    }

    private static <T> T withMode(String mode, Call<T> call) throws Exception {
        String old = System.getProperty("tlsaccel.sig");
        System.setProperty("tlsaccel.sig", mode);
        try {
            return call.run();
        } finally {
            if (old == null) {
                System.clearProperty("tlsaccel.sig");
            } else {
                System.setProperty("tlsaccel.sig", old);
            }
        }
    }
}
