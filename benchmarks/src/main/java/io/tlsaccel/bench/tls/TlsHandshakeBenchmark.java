package io.tlsaccel.bench.tls;

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
 * Full TLS 1.3 handshakes per second, client and server engines in memory on one thread:
 * x25519 (the only group enabled, through {@code jdk.tls.namedGroups}, which both engines read),
 * TLS_AES_128_GCM_SHA256, an ECDSA P-256 server certificate checked by the PKIX trust manager,
 * no client certificate, no resumption; the server's key manager is {@code keyManager}. Each op: two new engines, the whole handshake and the
 * NewSessionTicket(s) the server sends after it. {@code impl}: tlsaccel (ours) or sunjsse.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Djdk.tls.namedGroups=x25519,secp256r1"})
@State(Scope.Benchmark)
public class TlsHandshakeBenchmark {
    static {
        // -jvmArgsAppend on the command line replaces the @Fork arguments above: without this,
        // our engine would then lead with X25519MLKEM768 while SunJSSE (17-25) uses x25519.
        if (System.getProperty("jdk.tls.namedGroups") == null) {
            System.setProperty("jdk.tls.namedGroups", "x25519,secp256r1");
        }
    }

    @Param({"tlsaccel", "sunjsse"})
    public String impl;

    @Param({"TLSv1.3", "TLSv1.2"})
    public String protocol;

    /**
     * The server's key manager: SunX509 reads the key once; PKIX over PKCS#12 derives the
     * key-store password with PBKDF2 and decrypts the key on every handshake (for comparison:
     * {@code -p keyManager=PKIX}).
     */
    @Param({TlsFixtures.KEY_MANAGER})
    public String keyManager;

    private TlsFixtures.Contexts contexts;
    /** Contexts whose client keeps sessions: each resumed op resumes the session of the one before. */
    private TlsFixtures.Contexts resuming;

    @Setup
    public void setup() throws Exception {
        contexts = TlsFixtures.contexts(impl, keyManager);
        new TlsFixtures.Link(contexts, protocol).handshake(); // fails early if the pair cannot connect
        resuming = TlsFixtures.contexts(impl, keyManager);
        new TlsFixtures.Link(resuming, protocol, true).handshake();
        TlsFixtures.Link second = new TlsFixtures.Link(resuming, protocol, true);
        second.handshake();
        if (second.server.getSession() instanceof io.tlsaccel.tls.engine.TlsSession t && !t.isResumed()) {
            throw new IllegalStateException("the second handshake did not resume");
        }
    }

    /**
     * A resumed handshake (TLS 1.3 psk_dhe_ke with a ticket; TLS 1.2 abbreviated, with a
     * ticket): no certificate, no signature, no chain check; the server sends new tickets.
     */
    @Benchmark
    public Object resumedHandshake() throws Exception {
        TlsFixtures.Link link = new TlsFixtures.Link(resuming, protocol, true);
        link.handshake();
        return link.client.getSession();
    }

    @Benchmark
    public Object fullHandshake() throws Exception {
        TlsFixtures.Link link = new TlsFixtures.Link(contexts, protocol);
        link.handshake();
        return link.client.getSession();
    }
}
