package io.tlsaccel.crypto.java;

import io.tlsaccel.crypto.Aead;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.Backend;
import io.tlsaccel.crypto.Mac;
import io.tlsaccel.crypto.MacAlgorithm;
import io.tlsaccel.crypto.X25519;
import java.util.Objects;

/**
 * The pure-Java backend: runs on any JVM, no native code.
 *
 * <ul>
 *   <li>AES-GCM: {@code java/tables}, T-table AES with 8-bit-table GHASH, on JVMs without AES
 *       and GHASH intrinsics (a CPU without AES-NI); where the JIT has them the JDK's own
 *       AES/GCM ({@code java/jdk}) is many times faster and is used instead. Table lookups are
 *       not constant time.</li>
 *   <li>ChaCha20-Poly1305: {@code java/scalar}, or the JDK's where it has ChaCha20 and Poly1305
 *       intrinsics (JDK 20 and later on AVX2/AVX-512 CPUs).</li>
 *   <li>HMAC: {@code java/jdk}, the JDK's javax.crypto.Mac.</li>
 *   <li>X25519: {@code java/bc}, Bouncy Castle's raw-array implementation.</li>
 * </ul>
 */
public final class JavaBackend implements Backend {

    /** Whose pure-Java AEADs to use. */
    public enum Choice {
        /** The JDK's where its JIT accelerates them, ours otherwise. */
        AUTO,
        /** Ours (tables, scalar) always. */
        OWN,
        /** The JDK's always. */
        JDK
    }

    // The JDK's AES-GCM is intrinsified when UseAES is on (a CPU with AES-NI) unless the
    // diagnostic intrinsic flags were turned off; those are visible only when unlocked.
    private static final boolean JDK_AES_FAST = vmFlag("UseAES", false)
            && vmFlag("UseAESIntrinsics", true) && vmFlag("UseGHASHIntrinsics", true);
    // ChaCha20 and Poly1305 intrinsics arrived in JDK 20 (x86-64 with AVX2/AVX-512, AArch64).
    private static final boolean JDK_CHACHA_FAST = Runtime.version().feature() >= 20
            && vmFlag("UseChaCha20Intrinsics", true) && vmFlag("UsePoly1305Intrinsics", true);

    private final Choice choice;

    public JavaBackend() {
        this(Choice.AUTO);
    }

    public JavaBackend(Choice choice) {
        this.choice = Objects.requireNonNull(choice, "choice");
    }

    /** A HotSpot flag's value, or {@code hidden} where the flag cannot be read (a locked
     * diagnostic flag, another VM, no management API). */
    private static boolean vmFlag(String name, boolean hidden) {
        try {
            return Boolean.parseBoolean(java.lang.management.ManagementFactory
                    .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption(name).getValue());
        } catch (RuntimeException | LinkageError e) {
            return hidden;
        }
    }

    private boolean useJdk(AeadAlgorithm algorithm) {
        switch (choice) {
            case OWN: return false;
            case JDK: return true;
            default: return algorithm == AeadAlgorithm.CHACHA20_POLY1305 ? JDK_CHACHA_FAST : JDK_AES_FAST;
        }
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public Aead newAead(AeadAlgorithm algorithm, byte[] key, int keyOff, int keyLen) {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(key, "key");
        Objects.checkFromIndexSize(keyOff, keyLen, key.length);
        if (keyLen != algorithm.keyLength()) {
            throw new IllegalArgumentException(algorithm.displayName() + " key must be "
                    + algorithm.keyLength() + " bytes, not " + keyLen);
        }
        if (useJdk(algorithm)) {
            return new JdkAead(algorithm, key, keyOff, keyLen);
        }
        switch (algorithm) {
            case AES_128_GCM:
            case AES_256_GCM:
                return new AesGcm(algorithm, key, keyOff, keyLen);
            case CHACHA20_POLY1305:
                return new ChaCha20Poly1305(key, keyOff);
            default:
                throw new IllegalArgumentException("unsupported: " + algorithm);
        }
    }

    @Override
    public Mac newMac(MacAlgorithm algorithm, byte[] key, int keyOff, int keyLen) {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(key, "key");
        Objects.checkFromIndexSize(keyOff, keyLen, key.length);
        return new JdkHmac(algorithm, key, keyOff, keyLen);
    }

    @Override
    public String implementation(AeadAlgorithm algorithm) {
        Objects.requireNonNull(algorithm, "algorithm");
        if (useJdk(algorithm)) {
            return JdkAead.IMPLEMENTATION;
        }
        return algorithm == AeadAlgorithm.CHACHA20_POLY1305
                ? ChaCha20Poly1305.IMPLEMENTATION : AesGcm.IMPLEMENTATION;
    }

    @Override
    public String implementation(MacAlgorithm algorithm) {
        Objects.requireNonNull(algorithm, "algorithm");
        return JdkHmac.IMPLEMENTATION;
    }

    @Override
    public String toString() {
        return "JavaBackend[" + choice + "]";
    }

    @Override
    public X25519 x25519() {
        return new BcX25519();
    }
}
