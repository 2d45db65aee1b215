package io.tlsaccel.crypto.kem;

import io.tlsaccel.crypto.kem.MlKem768.Encapsulation;
import io.tlsaccel.crypto.kem.MlKem768.InvalidKemInputException;
import java.security.SecureRandom;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.generators.MLKEMKeyPairGenerator;
import org.bouncycastle.crypto.kems.MLKEMExtractor;
import org.bouncycastle.crypto.kems.MLKEMGenerator;
import org.bouncycastle.crypto.params.MLKEMKeyGenerationParameters;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;

/** ML-KEM-768 on Bouncy Castle's lightweight API (no provider registered anywhere). */
final class BouncyCastleMlKem implements MlKem768.Implementation {
    static final BouncyCastleMlKem INSTANCE = new BouncyCastleMlKem();

    private BouncyCastleMlKem() {
    }

    @Override
    public String name() {
        return "bc";
    }

    @Override
    public MlKem768.KeyPair generate(SecureRandom random) {
        MLKEMKeyPairGenerator g = new MLKEMKeyPairGenerator();
        g.init(new MLKEMKeyGenerationParameters(random, MLKEMParameters.ml_kem_768));
        AsymmetricCipherKeyPair kp = g.generateKeyPair();
        return new Pair((MLKEMPrivateKeyParameters) kp.getPrivate());
    }

    @Override
    public Encapsulation encapsulate(byte[] ek, SecureRandom random) {
        SecretWithEncapsulation s = new MLKEMGenerator(random)
                .generateEncapsulated(new MLKEMPublicKeyParameters(MLKEMParameters.ml_kem_768, ek));
        return new Encapsulation(s.getEncapsulation(), s.getSecret());
    }

    /** FIPS 203 ML-KEM.Encaps_internal with the given randomness m (known-answer tests). */
    static Encapsulation encapsulate(byte[] ek, byte[] m) {
        SecretWithEncapsulation s = MLKEMGenerator.internalGenerateEncapsulated(
                new MLKEMPublicKeyParameters(MLKEMParameters.ml_kem_768, ek), m);
        return new Encapsulation(s.getEncapsulation(), s.getSecret());
    }

    /** FIPS 203 ML-KEM.KeyGen_internal from the 64-byte seed d || z (known-answer tests). */
    static MlKem768.KeyPair fromSeed(byte[] seed) {
        return new Pair(new MLKEMPrivateKeyParameters(MLKEMParameters.ml_kem_768, seed));
    }

    /** The expanded decapsulation key of a pair made here (to hand the same key to the JDK in tests). */
    static byte[] expanded(MlKem768.KeyPair pair) {
        return ((Pair) pair).key.getParametersWithFormat(MLKEMPrivateKeyParameters.EXPANDED_KEY).getEncoded();
    }

    private static final class Pair implements MlKem768.KeyPair {
        private final MLKEMPrivateKeyParameters key;
        private final MLKEMExtractor extractor;

        Pair(MLKEMPrivateKeyParameters key) {
            this.key = key;
            this.extractor = new MLKEMExtractor(key);
        }

        @Override
        public byte[] encapsulationKey() {
            return key.getPublicKey();
        }

        @Override
        public byte[] decapsulate(byte[] ciphertext) throws InvalidKemInputException {
            MlKem768.checkCiphertext(ciphertext);
            return extractor.extractSecret(ciphertext);
        }

        @Override
        public String implementation() {
            return "bc";
        }

        @Override
        public void destroy() {
            key.destroy();
        }

        @Override
        public boolean isDestroyed() {
            return key.isDestroyed();
        }
    }
}
