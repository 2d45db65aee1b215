package io.tlsaccel.crypto.kem;

import io.tlsaccel.crypto.kem.MlKem768.Encapsulation;
import io.tlsaccel.crypto.kem.MlKem768.InvalidKemInputException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import javax.crypto.SecretKey;
import javax.security.auth.DestroyFailedException;

/**
 * ML-KEM-768 on the JDK's own implementation (JDK 24+, JEP 496). We compile for JDK 17, where
 * {@code javax.crypto.KEM} does not exist, so its four methods are looked up once as method
 * handles. Raw keys cross into the JDK's encodings by the fixed DER prefixes the JDK itself
 * writes, taken from a key it generates at start-up.
 */
final class JdkMlKem implements MlKem768.Implementation {
    /** Null where this JDK has no ML-KEM; {@link #PROBLEM} says why. */
    static final JdkMlKem INSTANCE;
    static final String PROBLEM;

    static {
        JdkMlKem made = null;
        String problem = null;
        try {
            made = new JdkMlKem();
        } catch (Throwable t) { // absent before JDK 24, or refused by a security policy
            problem = t.toString();
        }
        INSTANCE = made;
        PROBLEM = problem;
    }

    private final MethodHandle kemGetInstance;
    private final MethodHandle newEncapsulator;
    private final MethodHandle encapsulate;
    private final MethodHandle encapsulation;
    private final MethodHandle encapsulatedKey;
    private final MethodHandle newDecapsulator;
    private final MethodHandle decapsulate;
    private final byte[] publicPrefix;
    private final byte[] privatePrefix;

    private JdkMlKem() throws Throwable {
        MethodHandles.Lookup l = MethodHandles.publicLookup();
        Class<?> kem = Class.forName("javax.crypto.KEM");
        Class<?> encapsulator = Class.forName("javax.crypto.KEM$Encapsulator");
        Class<?> encapsulated = Class.forName("javax.crypto.KEM$Encapsulated");
        Class<?> decapsulator = Class.forName("javax.crypto.KEM$Decapsulator");
        kemGetInstance = l.findStatic(kem, "getInstance", MethodType.methodType(kem, String.class));
        newEncapsulator = l.findVirtual(kem, "newEncapsulator", MethodType.methodType(encapsulator, PublicKey.class, SecureRandom.class));
        encapsulate = l.findVirtual(encapsulator, "encapsulate", MethodType.methodType(encapsulated));
        encapsulation = l.findVirtual(encapsulated, "encapsulation", MethodType.methodType(byte[].class));
        encapsulatedKey = l.findVirtual(encapsulated, "key", MethodType.methodType(SecretKey.class));
        newDecapsulator = l.findVirtual(kem, "newDecapsulator", MethodType.methodType(decapsulator, PrivateKey.class));
        decapsulate = l.findVirtual(decapsulator, "decapsulate", MethodType.methodType(SecretKey.class, byte[].class));

        java.security.KeyPair probe = KeyPairGenerator.getInstance("ML-KEM-768").generateKeyPair();
        byte[] pub = probe.getPublic().getEncoded();
        byte[] priv = probe.getPrivate().getEncoded();
        if (pub.length <= MlKem768.ENCAPSULATION_KEY_LENGTH || priv.length <= MlKem768.DECAPSULATION_KEY_LENGTH) {
            throw new IllegalStateException("unexpected ML-KEM key encodings");
        }
        publicPrefix = Arrays.copyOf(pub, pub.length - MlKem768.ENCAPSULATION_KEY_LENGTH);
        privatePrefix = Arrays.copyOf(priv, priv.length - MlKem768.DECAPSULATION_KEY_LENGTH);
        Arrays.fill(priv, (byte) 0);
        // round trip once, so a JDK whose encodings differ is found here, not in a handshake
        Encapsulation e = encapsulate(rawPublic(probe.getPublic()), new SecureRandom());
        byte[] back = new Pair(probe.getPrivate(), rawPublic(probe.getPublic())).decapsulate(e.ciphertext());
        if (!Arrays.equals(back, e.sharedSecret())) {
            throw new IllegalStateException("ML-KEM self-test failed");
        }
    }

    @Override
    public String name() {
        return "jdk";
    }

    @Override
    public MlKem768.KeyPair generate(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("ML-KEM-768");
            g.initialize(new java.security.spec.NamedParameterSpec("ML-KEM-768"), random);
            java.security.KeyPair kp = g.generateKeyPair();
            return new Pair(kp.getPrivate(), rawPublic(kp.getPublic()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Encapsulation encapsulate(byte[] ek, SecureRandom random) {
        try {
            byte[] spki = concat(publicPrefix, ek);
            PublicKey key = KeyFactory.getInstance("ML-KEM").generatePublic(new X509EncodedKeySpec(spki));
            Object kem = kemGetInstance.invoke("ML-KEM");
            Object result = encapsulate.invoke(newEncapsulator.invoke(kem, key, random));
            SecretKey secret = (SecretKey) encapsulatedKey.invoke(result);
            return new Encapsulation((byte[]) encapsulation.invoke(result), secret.getEncoded());
        } catch (Throwable t) {
            throw new IllegalStateException("ML-KEM encapsulation failed", t);
        }
    }

    /** A decapsulation key given in its expanded form (tests hand the JDK a key made elsewhere). */
    MlKem768.KeyPair fromExpanded(byte[] dk, byte[] ek) throws GeneralSecurityException {
        byte[] pkcs8 = concat(privatePrefix, dk);
        try {
            return new Pair(KeyFactory.getInstance("ML-KEM").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)), ek.clone());
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    private byte[] rawPublic(PublicKey key) {
        byte[] spki = key.getEncoded();
        return Arrays.copyOfRange(spki, publicPrefix.length, spki.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private final class Pair implements MlKem768.KeyPair {
        private final PrivateKey key;
        private final byte[] ek;
        private volatile boolean destroyed;

        Pair(PrivateKey key, byte[] ek) {
            this.key = key;
            this.ek = ek;
        }

        @Override
        public byte[] encapsulationKey() {
            return ek.clone();
        }

        @Override
        public byte[] decapsulate(byte[] ciphertext) throws InvalidKemInputException {
            MlKem768.checkCiphertext(ciphertext);
            try {
                Object kem = kemGetInstance.invoke("ML-KEM");
                SecretKey secret = (SecretKey) decapsulate.invoke(newDecapsulator.invoke(kem, key), ciphertext);
                return secret.getEncoded();
            } catch (Throwable t) {
                throw new IllegalStateException("ML-KEM decapsulation failed", t);
            }
        }

        @Override
        public String implementation() {
            return "jdk";
        }

        @Override
        public void destroy() {
            destroyed = true;
            try {
                key.destroy();
            } catch (DestroyFailedException notSupportedByTheJdkKey) {
                // the JDK's private key objects are not destroyable; it is dropped with this pair
            }
        }

        @Override
        public boolean isDestroyed() {
            return destroyed;
        }
    }
}
