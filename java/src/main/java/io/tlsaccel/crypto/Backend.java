package io.tlsaccel.crypto;

/** A family of implementations (native or pure Java) that makes AEAD and MAC contexts and
 * does X25519. */
public interface Backend {

    /** {@code native} or {@code java}. */
    String name();

    /** Makes a context on the best implementation this backend has for the algorithm. */
    Aead newAead(AeadAlgorithm algorithm, byte[] key, int keyOff, int keyLen);

    default Aead newAead(AeadAlgorithm algorithm, byte[] key) {
        return newAead(algorithm, key, 0, key.length);
    }

    Mac newMac(MacAlgorithm algorithm, byte[] key, int keyOff, int keyLen);

    default Mac newMac(MacAlgorithm algorithm, byte[] key) {
        return newMac(algorithm, key, 0, key.length);
    }

    /** The implementation {@link #newAead} would pick, e.g. {@code native/vaes512}. */
    String implementation(AeadAlgorithm algorithm);

    /** The implementation {@link #newMac} would pick. */
    String implementation(MacAlgorithm algorithm);

    /** X25519 on the best implementation this backend has ({@link X25519#name()} says which). */
    X25519 x25519();
}
