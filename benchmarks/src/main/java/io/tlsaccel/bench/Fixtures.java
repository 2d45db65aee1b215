package io.tlsaccel.bench;

import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.MacAlgorithm;
import io.tlsaccel.crypto.java.JavaBackend;
import io.tlsaccel.crypto.jni.NativeBackend;
import io.tlsaccel.nativelib.NativeLoader;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What every benchmark shares: the paths (by the name the benchmarks' {@code path} parameter
 * gives them), how each is built, the providers, and a SunJCE reference to check every path's
 * output against before anything is timed.
 */
final class Fixtures {

    /**
     * The AEAD paths. {@code nativeJni} may name one native implementation after a slash,
     * e.g. {@code nativeJni/vaes512} (without one, the dispatcher's choice).
     */
    static final List<String> AEAD_PATHS = List.of("nativeJni", "nativeRecord", "nativeJna",
            "javaFallback", "sunJce", "bouncyCastle", "tlsAccelProvider", "accp", "conscrypt");
    /** The HMAC paths ({@code nativeJni/<impl>} as for AEAD; JNA has no MAC binding). */
    static final List<String> MAC_PATHS = List.of("nativeJni", "javaFallback", "sunJce",
            "bouncyCastle", "tlsAccelProvider", "accp", "conscrypt");

    /** A path parameter parsed: its name and, for {@code nativeJni/<impl>}, the forced implementation. */
    record Path(String name, String impl) {
        @Override
        public String toString() {
            return impl == null ? name : name + "/" + impl;
        }
    }

    static Path path(String param) {
        int slash = param.indexOf('/');
        Path p = slash < 0 ? new Path(param, null) : new Path(param.substring(0, slash), param.substring(slash + 1));
        if (p.impl != null && !p.name.equals("nativeJni")) {
            throw new IllegalArgumentException("only nativeJni takes an implementation: " + param);
        }
        return p;
    }

    static final String TLSACCEL_PROVIDER_CLASS = "io.tlsaccel.provider.TlsAccelProvider";

    static final int AAD_LENGTH = 13;
    /**
     * The nonces and AAD of the open benchmarks' ciphertexts. Opens alternate between two
     * ciphertexts because SunJCE's ChaCha20-Poly1305 refuses an init with the key and nonce
     * of the previous one, even to decrypt.
     */
    static final byte[] OPEN_NONCE = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    static final byte[] OPEN_NONCE_B = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13};
    static final byte[] OPEN_AAD = {0, 0, 0, 0, 0, 0, 0, 42, 0x17, 0x03, 0x03, 0x40, 0x00};

    static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** A path that cannot run here; the message says why (JMH prints it and goes on). */
    static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(String reason) {
            super("path unavailable: " + reason, null, false, false);
        }
    }

    private Fixtures() {
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    static byte[] randomKey(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    /** Writes {@code seq} into the last 8 nonce bytes and the first 8 AAD bytes (TLS 1.2 style). */
    static void next(byte[] nonce, byte[] aad, long seq) {
        LONG_BE.set(nonce, 4, seq);
        LONG_BE.set(aad, 0, seq);
    }

    static NativeBackend nativeBackend() {
        if (!NativeLoader.status().usable()) {
            throw new Unavailable("native library: " + NativeLoader.status().reason());
        }
        return NativeBackend.create();
    }

    /** The native backend when it really runs {@code alg} natively (not its Java fallback). */
    static NativeBackend nativeFor(AeadAlgorithm alg) {
        NativeBackend nb = nativeBackend();
        String impl = nb.implementation(alg);
        if (!impl.startsWith("native/")) {
            throw new Unavailable("no native " + alg.displayName() + " implementation usable here"
                    + " (TLSACCEL_CPU_MASK?); the native backend would run " + impl);
        }
        return nb;
    }

    static NativeBackend nativeFor(MacAlgorithm alg) {
        NativeBackend nb = nativeBackend();
        String impl = nb.implementation(alg);
        if (!impl.startsWith("native/")) {
            throw new Unavailable("no native " + alg.jcaName() + " implementation usable here"
                    + " (TLSACCEL_CPU_MASK?); the native backend would run " + impl);
        }
        return nb;
    }

    static Provider sunJce() {
        Provider p = Security.getProvider("SunJCE");
        if (p == null) {
            throw new Unavailable("no SunJCE provider in this JVM");
        }
        return p;
    }

    /** Amazon Corretto Crypto Provider (AWS-LC), if its native part loads here. */
    static Provider accp() {
        try {
            com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider p =
                    com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider.INSTANCE;
            p.assertHealthy();
            return p;
        } catch (Throwable t) {
            throw new Unavailable("Amazon Corretto Crypto Provider: " + t);
        }
    }

    /** Conscrypt (BoringSSL), if its native part loads here. */
    static Provider conscrypt() {
        try {
            org.conscrypt.Conscrypt.checkAvailability();
            return org.conscrypt.Conscrypt.newProvider();
        } catch (Throwable t) {
            throw new Unavailable("Conscrypt: " + t);
        }
    }

    /** Our JCA provider, looked up by class name so this module builds before it exists. */
    static Provider tlsAccelProvider() {
        try {
            Class<?> c = Class.forName(TLSACCEL_PROVIDER_CLASS);
            Provider p = (Provider) c.getDeclaredConstructor().newInstance();
            Security.addProvider(p); // no-op when already there
            Provider installed = Security.getProvider(p.getName());
            return installed != null ? installed : p;
        } catch (ClassNotFoundException e) {
            throw new Unavailable(TLSACCEL_PROVIDER_CLASS + " is not in this build");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            throw new Unavailable(TLSACCEL_PROVIDER_CLASS + " did not load: " + e);
        }
    }

    /** Builds a byte[] AEAD path ({@code nativeRecord}: its byte[] twin, auto implementation). */
    static AeadRunner aead(Path path, AeadAlgorithm alg, byte[] key) throws Exception {
        String impl = path.impl();
        switch (path.name()) {
            case "nativeJni":
            case "nativeRecord":
                if (impl == null) {
                    return AeadRunner.of(nativeFor(alg).newAead(alg, key));
                }
                NativeBackend nb = nativeBackend();
                if (!NativeBackend.usableImplementations(alg).contains(impl)) {
                    throw new Unavailable("native " + alg.displayName() + " implementation '" + impl
                            + "' is not usable here (usable: " + NativeBackend.usableImplementations(alg) + ")");
                }
                return AeadRunner.of(nb.newAead(alg, key, impl));
            case "nativeJna":
                nativeFor(alg);
                return AeadRunner.jna(alg, key);
            case "javaFallback":
                return AeadRunner.of(new JavaBackend().newAead(alg, key));
            case "sunJce":
                return AeadRunner.jca(alg, key, sunJce());
            case "bouncyCastle":
                return AeadRunner.bouncyCastle(alg, key);
            case "tlsAccelProvider":
                return AeadRunner.jca(alg, key, tlsAccelProvider());
            case "accp":
                return AeadRunner.jca(alg, key, accp());
            case "conscrypt":
                return AeadRunner.jca(alg, key, conscrypt());
            default:
                throw new IllegalArgumentException("unknown AEAD path " + path);
        }
    }

    static MacRunner mac(Path path, MacAlgorithm alg, byte[] key) throws Exception {
        String impl = path.impl();
        switch (path.name()) {
            case "nativeJni":
                if (impl == null) {
                    return MacRunner.of(nativeFor(alg).newMac(alg, key));
                }
                NativeBackend nb = nativeBackend();
                if (!NativeBackend.usableImplementations(alg).contains(impl)) {
                    throw new Unavailable("native " + alg.jcaName() + " implementation '" + impl
                            + "' is not usable here (usable: " + NativeBackend.usableImplementations(alg) + ")");
                }
                return MacRunner.of(nb.newMac(alg, key, impl));
            case "javaFallback":
                return MacRunner.of(new JavaBackend().newMac(alg, key));
            case "sunJce":
                return MacRunner.jca(alg, key, sunJce());
            case "bouncyCastle":
                return MacRunner.bouncyCastle(alg, key);
            case "tlsAccelProvider":
                return MacRunner.jca(alg, key, tlsAccelProvider());
            case "accp":
                return MacRunner.jca(alg, key, accp());
            case "conscrypt":
                return MacRunner.jca(alg, key, conscrypt());
            default:
                throw new IllegalArgumentException("unknown MAC path " + path);
        }
    }

    // ---- the SunJCE reference ------------------------------------------------------------

    private static Cipher referenceCipher(AeadAlgorithm alg, int mode, byte[] key, byte[] nonce) throws Exception {
        boolean chacha = alg == AeadAlgorithm.CHACHA20_POLY1305;
        Cipher c = Cipher.getInstance(chacha ? "ChaCha20-Poly1305" : "AES/GCM/NoPadding", sunJce());
        c.init(mode, new SecretKeySpec(key, chacha ? "ChaCha20" : "AES"),
                chacha ? new IvParameterSpec(nonce) : new GCMParameterSpec(128, nonce));
        return c;
    }

    static byte[] referenceSeal(AeadAlgorithm alg, byte[] key, byte[] nonce, byte[] aad, byte[] pt) throws Exception {
        Cipher c = referenceCipher(alg, Cipher.ENCRYPT_MODE, key, nonce);
        c.updateAAD(aad);
        return c.doFinal(pt);
    }

    static byte[] referenceOpen(AeadAlgorithm alg, byte[] key, byte[] nonce, byte[] aad, byte[] ct) throws Exception {
        Cipher c = referenceCipher(alg, Cipher.DECRYPT_MODE, key, nonce);
        c.updateAAD(aad);
        return c.doFinal(ct);
    }

    /**
     * Before timing: a seal by the path must equal SunJCE's, and the path must open SunJCE's
     * ciphertext. A wrong path is an error, never a number.
     */
    static void checkAead(String label, AeadRunner r, AeadAlgorithm alg, byte[] key, byte[] pt) throws Exception {
        byte[] nonce = random(AeadAlgorithm.NONCE_LENGTH, 99);
        nonce[0] = (byte) 0xCC; // the benchmarks' nonces start with other bytes
        byte[] aad = random(AAD_LENGTH, 98);
        byte[] expected = referenceSeal(alg, key, nonce, aad, pt);
        byte[] out = new byte[pt.length + AeadAlgorithm.TAG_LENGTH];
        int n = r.seal(nonce, aad, pt, pt.length, out);
        if (n != out.length || !Arrays.equals(out, expected)) {
            throw new IllegalStateException(label + ": seal differs from SunJCE");
        }
        byte[] back = new byte[pt.length];
        byte[] ct = referenceSeal(alg, key, OPEN_NONCE, OPEN_AAD, pt);
        n = r.open(OPEN_NONCE, OPEN_AAD, ct, ct.length, back);
        if (n != pt.length || !Arrays.equals(back, pt)) {
            throw new IllegalStateException(label + ": open of SunJCE's ciphertext failed");
        }
    }

    static void checkMac(String label, MacRunner r, MacAlgorithm alg, byte[] key, byte[] msg) throws Exception {
        javax.crypto.Mac m = javax.crypto.Mac.getInstance(alg.jcaName(), sunJce());
        m.init(new SecretKeySpec(key, alg.jcaName()));
        byte[] expected = m.doFinal(msg);
        byte[] out = new byte[alg.macLength()];
        for (int i = 0; i < 2; i++) { // twice: doFinal must reset
            int n = r.mac(msg, msg.length, out);
            if (n != out.length || !Arrays.equals(out, expected)) {
                throw new IllegalStateException(label + ": MAC differs from SunJCE");
            }
        }
    }
}
