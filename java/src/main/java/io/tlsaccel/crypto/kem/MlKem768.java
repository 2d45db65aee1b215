package io.tlsaccel.crypto.kem;

import java.security.SecureRandom;
import java.util.Locale;
import javax.security.auth.Destroyable;

/**
 * ML-KEM-768 (FIPS 203), the post-quantum half of the X25519MLKEM768 and SecP256r1MLKEM768
 * key shares (draft-ietf-tls-ecdhe-mlkem). Runs on the JDK's implementation where it has one
 * (JDK 24+: faster here) and on Bouncy Castle otherwise; {@code -Dtlsaccel.kem=bc|jdk}
 * chooses. Both sides check what they are given: an encapsulation key of the wrong length or
 * with a coefficient not below q (the modulus check of FIPS 203 7.2) is refused before any
 * work, and a ciphertext must be exactly {@link #CIPHERTEXT_LENGTH} bytes (7.3). A wrong but
 * well-formed ciphertext decapsulates to a pseudorandom secret (implicit rejection), so the
 * handshake fails later, at Finished, as FIPS 203 intends.
 */
public final class MlKem768 {
    public static final int ENCAPSULATION_KEY_LENGTH = 1184;
    public static final int CIPHERTEXT_LENGTH = 1088;
    public static final int SHARED_SECRET_LENGTH = 32;
    /** The expanded decapsulation key (FIPS 203 7.1: dk = dk_PKE || ek || H(ek) || z). */
    public static final int DECAPSULATION_KEY_LENGTH = 2400;
    /** "auto" (default), "jdk" or "bc". */
    public static final String PROPERTY = "tlsaccel.kem";

    private static final int Q = 3329;

    /** A key pair of ours: we publish the encapsulation key and decapsulate what comes back. */
    public interface KeyPair extends Destroyable {
        byte[] encapsulationKey();

        /** The shared secret for a ciphertext of exactly {@link #CIPHERTEXT_LENGTH} bytes. */
        byte[] decapsulate(byte[] ciphertext) throws InvalidKemInputException;

        /** Which implementation holds the key ("jdk" or "bc"). */
        String implementation();
    }

    /** What the encapsulating side sends ({@code ciphertext}) and keeps ({@code sharedSecret}). */
    public record Encapsulation(byte[] ciphertext, byte[] sharedSecret) {
        @Override
        public String toString() {
            return "Encapsulation[" + ciphertext.length + "-byte ciphertext]"; // the secret stays out
        }
    }

    /** One implementation of the primitive. */
    interface Implementation {
        String name();

        KeyPair generate(SecureRandom random);

        Encapsulation encapsulate(byte[] checkedEncapsulationKey, SecureRandom random);
    }

    /** Chosen on first use (not in this class's initializer: the JDK probe calls back in here). */
    private static final class Selected {
        static final Implementation IMPLEMENTATION = select(System.getProperty(PROPERTY, "auto"));
    }

    private MlKem768() {
    }

    static Implementation select(String choice) {
        switch (choice.toLowerCase(Locale.ROOT)) {
            case "bc":
                return BouncyCastleMlKem.INSTANCE;
            case "jdk":
                if (JdkMlKem.INSTANCE == null) {
                    throw new IllegalStateException("this JDK has no ML-KEM (JDK 24+ has): " + JdkMlKem.PROBLEM);
                }
                return JdkMlKem.INSTANCE;
            default:
                return JdkMlKem.INSTANCE != null ? JdkMlKem.INSTANCE : BouncyCastleMlKem.INSTANCE;
        }
    }

    /** "jdk" or "bc": what {@link #generate} and {@link #encapsulate} use here. */
    public static String implementation() {
        return Selected.IMPLEMENTATION.name();
    }

    public static KeyPair generate(SecureRandom random) {
        return Selected.IMPLEMENTATION.generate(random);
    }

    /** Encapsulates to a peer's key after checking it (FIPS 203 7.2). */
    public static Encapsulation encapsulate(byte[] encapsulationKey, SecureRandom random) throws InvalidKemInputException {
        checkEncapsulationKey(encapsulationKey);
        return Selected.IMPLEMENTATION.encapsulate(encapsulationKey, random);
    }

    /**
     * FIPS 203 7.2: the type check (length 384k + 32) and the modulus check (every 12-bit
     * coefficient of the 384k-byte ByteEncode part below q = 3329, i.e. the key re-encodes to
     * itself). Linear, and the same work for every key of the right length.
     */
    public static void checkEncapsulationKey(byte[] ek) throws InvalidKemInputException {
        if (ek.length != ENCAPSULATION_KEY_LENGTH) {
            throw new InvalidKemInputException("ML-KEM-768 encapsulation key of " + ek.length + " bytes");
        }
        int bad = 0;
        for (int i = 0; i < 384 * 3; i += 3) {
            int b0 = ek[i] & 0xff;
            int b1 = ek[i + 1] & 0xff;
            int b2 = ek[i + 2] & 0xff;
            int c0 = b0 | (b1 & 0x0f) << 8;
            int c1 = b1 >> 4 | b2 << 4;
            bad |= (Q - 1 - c0) | (Q - 1 - c1); // negative (sign bit set) when c >= q
        }
        if (bad < 0) {
            throw new InvalidKemInputException("ML-KEM-768 encapsulation key fails the modulus check");
        }
    }

    static void checkCiphertext(byte[] ciphertext) throws InvalidKemInputException {
        if (ciphertext.length != CIPHERTEXT_LENGTH) {
            throw new InvalidKemInputException("ML-KEM-768 ciphertext of " + ciphertext.length + " bytes");
        }
    }

    /** Input that FIPS 203's checks refuse; the handshake answers it with illegal_parameter. */
    public static final class InvalidKemInputException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidKemInputException(String message) {
            super(message);
        }
    }
}
