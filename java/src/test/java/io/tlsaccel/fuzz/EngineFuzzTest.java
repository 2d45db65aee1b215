package io.tlsaccel.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
import io.tlsaccel.testutil.TestPki.KeyType;
import io.tlsaccel.tls.engine.TlsContextSpi;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.Provider;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * Whole engines on hostile input. A server gets a valid ClientHello record followed by
 * arbitrary bytes; a client gets a real server flight with fuzzer-chosen edits (structure
 * kept: most mutations land inside records, not just on random noise). Either engine may
 * fail only with an SSLException (an alert), must stop in a bounded number of steps, and
 * must never throw anything else.
 */
class EngineFuzzTest {
    private static final Provider PROVIDER = new Provider("EngineFuzz", "0.1", "test only") {
    };
    private static final Credential CA = TestPki.newCa("Fuzz CA");
    private static final SSLContext SERVER = context(TestPki.keyManagers(TestPki.issue(CA, KeyType.EC_P256, "localhost")));
    /**
     * The client's randomness, replayed from the start for every input: its ClientHello (random,
     * x25519 key) is then the same each time, so the recorded server flight fits it and the
     * client gets past the key schedule into the encrypted messages the mutations land in.
     */
    private static final ReplayRandom CLIENT_RANDOM = new ReplayRandom();
    private static final SSLContext CLIENT = context(new KeyManager[0], CLIENT_RANDOM);
    /** A client's first flight and the server's answer to it, recorded once. */
    private static final byte[] CLIENT_HELLO;
    private static final byte[] SERVER_FLIGHT;

    static {
        try {
            CLIENT_RANDOM.reset();
            SSLEngine c = client();
            SSLEngine s = server();
            ByteBuffer toServer = ByteBuffer.allocate(1 << 16);
            c.wrap(ByteBuffer.allocate(0), toServer);
            CLIENT_HELLO = bytes(toServer);
            ByteBuffer hello = ByteBuffer.wrap(CLIENT_HELLO);
            ByteBuffer app = ByteBuffer.allocate(1 << 16);
            while (hello.hasRemaining() && s.unwrap(hello, app).bytesConsumed() > 0) {
                // the whole ClientHello
            }
            ByteArrayOutputStream flight = new ByteArrayOutputStream();
            for (int i = 0; i < 8; i++) {
                ByteBuffer out = ByteBuffer.allocate(1 << 16);
                s.wrap(ByteBuffer.allocate(0), out);
                flight.write(bytes(out));
            }
            SERVER_FLIGHT = flight.toByteArray();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static SSLContext context(KeyManager[] km) {
        return context(km, new SecureRandom());
    }

    static SSLContext context(KeyManager[] km, SecureRandom random) {
        try {
            SSLContext ctx = new SSLContext(new TlsContextSpi.Tls(), PROVIDER, "TLS") {
            };
            ctx.init(km, TestPki.trustManagers(CA), random);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client whose hello is the recorded one: x25519 only (its key comes from the replayed randomness). */
    static SSLEngine client() {
        SSLEngine c = CLIENT.createSSLEngine();
        c.setUseClientMode(true);
        ((io.tlsaccel.tls.engine.TlsEngine) c).setNamedGroups(new String[] {"x25519"});
        javax.net.ssl.SSLParameters p = c.getSSLParameters();
        p.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName("localhost")));
        c.setSSLParameters(p);
        return c;
    }

    /** Deterministic bytes (SHA-256 of a counter), from the start again after {@link #reset}. Tests only. */
    static final class ReplayRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private long counter;

        void reset() {
            counter = 0;
        }

        @Override
        public void nextBytes(byte[] out) {
            try {
                java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
                for (int off = 0; off < out.length; off += 32) {
                    byte[] block = sha.digest(java.nio.ByteBuffer.allocate(8).putLong(counter++).array());
                    System.arraycopy(block, 0, out, off, Math.min(32, out.length - off));
                }
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static SSLEngine server() {
        SSLEngine s = SERVER.createSSLEngine();
        s.setUseClientMode(false);
        return s;
    }

    private static byte[] bytes(ByteBuffer written) {
        byte[] b = new byte[written.position()];
        written.flip();
        written.get(b);
        written.clear();
        return b;
    }

    /** Feeds {@code input} to {@code e} (answering what it wants to send) until it takes no more. */
    static void feed(SSLEngine e, byte[] input) {
        ByteBuffer in = ByteBuffer.wrap(input);
        ByteBuffer app = ByteBuffer.allocate(e.getSession().getApplicationBufferSize() * 2);
        ByteBuffer out = ByteBuffer.allocate(e.getSession().getPacketBufferSize() * 4);
        try {
            for (int steps = 0; steps < 10_000; steps++) {
                SSLEngineResult r = e.unwrap(in, app);
                app.clear();
                out.clear();
                e.wrap(ByteBuffer.allocate(0), out);
                if (r.bytesConsumed() == 0 && r.getStatus() != SSLEngineResult.Status.OK) {
                    return;
                }
                if (!in.hasRemaining()) {
                    return;
                }
            }
            throw new AssertionError("no end after 10,000 steps");
        } catch (SSLException expected) {
            // an alert: what hostile input should get
            out.clear();
            try {
                e.wrap(ByteBuffer.allocate(0), out); // the alert goes out; nothing else may fail
            } catch (SSLException alsoFine) {
                // already closed
            }
        }
    }

    @FuzzTest(maxDuration = "60s")
    void serverAfterAValidClientHello(FuzzedDataProvider data) {
        byte[] tail = data.consumeRemainingAsBytes();
        byte[] input = new byte[CLIENT_HELLO.length + tail.length];
        System.arraycopy(CLIENT_HELLO, 0, input, 0, CLIENT_HELLO.length);
        System.arraycopy(tail, 0, input, CLIENT_HELLO.length, tail.length);
        SSLEngine s = server();
        feed(s, input);
    }

    @FuzzTest(maxDuration = "60s")
    void clientOnAMutatedServerFlight(FuzzedDataProvider data) throws Exception {
        byte[] flight = SERVER_FLIGHT.clone();
        int edits = data.consumeInt(0, 16);
        for (int i = 0; i < edits && flight.length > 0; i++) {
            int at = data.consumeInt(0, flight.length - 1);
            flight[at] = data.consumeByte();
        }
        byte[] cut = java.util.Arrays.copyOf(flight, data.consumeInt(0, flight.length));
        CLIENT_RANDOM.reset();
        SSLEngine c = client();
        ByteBuffer out = ByteBuffer.allocate(1 << 16);
        c.wrap(ByteBuffer.allocate(0), out); // the recorded ClientHello again
        feed(c, cut);
    }

    /** The harness's premise: with the replayed randomness the recorded flight completes the client's side. */
    @org.junit.jupiter.api.Test
    void recordedFlightFitsTheReplayedClient() throws Exception {
        CLIENT_RANDOM.reset();
        SSLEngine c = client();
        ByteBuffer out = ByteBuffer.allocate(1 << 16);
        c.wrap(ByteBuffer.allocate(0), out);
        ByteBuffer in = ByteBuffer.wrap(SERVER_FLIGHT);
        ByteBuffer app = ByteBuffer.allocate(1 << 16);
        while (in.hasRemaining()) {
            SSLEngineResult r = c.unwrap(in, app); // an SSLException here fails the test with its reason
            app.clear();
            if (r.bytesConsumed() == 0) {
                break;
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(SERVER_FLIGHT.length > 500, "a whole server flight was recorded");
        org.junit.jupiter.api.Assertions.assertNotEquals(javax.net.ssl.SSLEngineResult.HandshakeStatus.NEED_UNWRAP,
                c.getHandshakeStatus(), "the client read the whole flight");
        org.junit.jupiter.api.Assertions.assertEquals("TLSv1.3", c.getSession().getProtocol());
    }
}
