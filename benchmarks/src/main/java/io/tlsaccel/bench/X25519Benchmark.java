package io.tlsaccel.bench;

import io.tlsaccel.crypto.X25519;
import io.tlsaccel.crypto.X25519Keys;
import io.tlsaccel.crypto.java.BcX25519;
import io.tlsaccel.tls.handshake.NamedGroup;
import java.security.KeyPair;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * X25519 as the handshake pays for it, microseconds per operation: {@code keygen} makes a key
 * pair (random bytes included), {@code agree} turns our private key and the peer's public key
 * object into the shared secret. Paths: each native implementation and Bouncy Castle's raw
 * X25519 through {@link X25519Keys} (the default key share), and the providers the
 * {@code tlsaccel.kex} property selects, through {@link NamedGroup}: {@code bc-jca} (Bouncy
 * Castle's JCA X25519) and {@code jdk} (SunEC XDH).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Benchmark)
public class X25519Benchmark {

    @Param({"native/mulx", "native/portable", "java/bc", "bc-jca", "jdk"})
    public String path;

    private final SecureRandom random = new SecureRandom();
    private X25519 own;
    private Provider provider;
    private KeyPair ours;
    private PublicKey peer;

    @Setup
    public void setUp() throws Exception {
        switch (path) {
            case "java/bc":
                own = new BcX25519();
                break;
            case "bc-jca":
                provider = new org.bouncycastle.jce.provider.BouncyCastleProvider();
                break;
            case "jdk":
                break;
            default:
                own = Fixtures.nativeBackend().x25519(path.substring("native/".length()));
        }
        ours = keygen();
        KeyPair theirs = keygen();
        peer = own != null ? X25519Keys.publicKey(NamedGroup.X25519.encodePublic(theirs.getPublic()))
                : NamedGroup.X25519.decodePublic(NamedGroup.X25519.encodePublic(theirs.getPublic()), provider);
    }

    @Benchmark
    public KeyPair keygen() {
        return own != null ? X25519Keys.generate(own, random) : NamedGroup.X25519.generate(random, provider);
    }

    @Benchmark
    public byte[] agree() throws Exception {
        return own != null ? ((X25519Keys.Private) ours.getPrivate()).agree(NamedGroup.X25519.encodePublic(peer))
                : NamedGroup.X25519.agree(ours.getPrivate(), peer, provider);
    }
}
