package io.tlsaccel.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The blocking sockets over an engine, exercised with the JDK's own engines on both ends
 * of a loopback connection (so this tests the socket layer alone), and against the JDK's
 * own sockets.
 */
@Timeout(60)
class EngineSocketTest {

    private static SSLContext jdk;
    private static final ExecutorService POOL = Executors.newCachedThreadPool();

    @BeforeAll
    static void context() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair kp = g.generateKeyPair();
        X500Name name = new X500Name("CN=localhost");
        long now = System.currentTimeMillis();
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                name, BigInteger.ONE, new Date(now - 60_000), new Date(now + 86_400_000L), name, kp.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", kp.getPrivate(), "pw".toCharArray(), new X509Certificate[] {cert});
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", cert);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, "pw".toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);
        jdk = SSLContext.getInstance("TLSv1.3", "SunJSSE");
        jdk.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    }

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    private static EngineSocketFactory clientFactory() {
        return new EngineSocketFactory((host, port) -> host == null ? jdk.createSSLEngine() : jdk.createSSLEngine(host, port));
    }

    private static EngineServerSocketFactory serverFactory() {
        return new EngineServerSocketFactory((host, port) -> jdk.createSSLEngine());
    }

    /** Echo server: reads until end of stream and echoes everything back. */
    private static Future<Long> echo(ServerSocket server) {
        return POOL.submit(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] buf = new byte[20_000];
                long total = 0;
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    total += n;
                }
                return total;
            }
        });
    }

    @Test
    void ourClientAndServerSocketsMoveDataBothWays() throws Exception {
        try (ServerSocket server = serverFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Future<Long> served = echo(server);
            byte[] data = new byte[1_000_000];
            new Random(1).nextBytes(data);
            try (SSLSocket client = (SSLSocket) clientFactory().createSocket("localhost", server.getLocalPort())) {
                client.startHandshake();
                assertEquals("TLSv1.3", client.getSession().getProtocol());
                Future<byte[]> back = POOL.submit(() -> client.getInputStream().readNBytes(data.length));
                OutputStream out = client.getOutputStream();
                for (int off = 0; off < data.length; off += 30_000) {
                    out.write(data, off, Math.min(30_000, data.length - off)); // bigger than one record
                }
                assertArrayEquals(data, back.get(30, TimeUnit.SECONDS));
            }
            assertEquals(data.length, served.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void interoperatesWithTheJdkSockets() throws Exception {
        // our client socket against the JDK's server socket
        try (ServerSocket server = jdk.getServerSocketFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Future<Long> served = echo(server);
            try (Socket client = clientFactory().createSocket("localhost", server.getLocalPort())) {
                client.getOutputStream().write("hello".getBytes());
                assertArrayEquals("hello".getBytes(), client.getInputStream().readNBytes(5));
            }
            assertEquals(5, served.get(30, TimeUnit.SECONDS));
        }
        // the JDK's client socket against our server socket
        try (ServerSocket server = serverFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Future<Long> served = echo(server);
            try (Socket client = jdk.getSocketFactory().createSocket("localhost", server.getLocalPort())) {
                client.getOutputStream().write("world".getBytes());
                assertArrayEquals("world".getBytes(), client.getInputStream().readNBytes(5));
            }
            assertEquals(5, served.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aPeerThatIsNotTlsFailsTheHandshakeWithoutHanging() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Future<?> junk = POOL.submit(() -> {
                try (Socket s = plain.accept()) {
                    s.getOutputStream().write("HTTP/1.0 400 Bad Request\r\n\r\n".getBytes());
                    s.getInputStream().read();
                }
                return null;
            });
            try (SSLSocket client = (SSLSocket) clientFactory().createSocket("localhost", plain.getLocalPort())) {
                assertThrows(IOException.class, client::startHandshake);
            }
            junk.get(30, TimeUnit.SECONDS);
        }
        try (ServerSocket plain = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Future<?> closer = POOL.submit(() -> {
                plain.accept().close(); // closes before any reply
                return null;
            });
            try (SSLSocket client = (SSLSocket) clientFactory().createSocket("localhost", plain.getLocalPort())) {
                assertThrows(IOException.class, client::startHandshake);
            }
            closer.get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * A server that sends "hi", then does {@code misbehave} on the raw connection (after the
     * TLS layer flushed): our client must read "hi", then fail on every later read, never see
     * a clean end of stream.
     */
    private void everyReadAfterAFailureFails(RawMisbehaviour misbehave) throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Future<?> server = POOL.submit(() -> {
                try (Socket raw = plain.accept()) {
                    SSLSocket tls = (SSLSocket) jdk.getSocketFactory().createSocket(raw, "localhost", raw.getPort(), false);
                    tls.setUseClientMode(false);
                    tls.getOutputStream().write("hi".getBytes());
                    tls.getOutputStream().flush();
                    misbehave.on(raw);
                    raw.getInputStream().read(); // until the client gives up
                }
                return null;
            });
            try (Socket client = clientFactory().createSocket("localhost", plain.getLocalPort())) {
                InputStream in = client.getInputStream();
                assertArrayEquals("hi".getBytes(), in.readNBytes(2));
                IOException first = assertThrows(IOException.class, in::read);
                for (int i = 0; i < 3; i++) {
                    IOException again = assertThrows(IOException.class, () -> in.read(new byte[10]));
                    assertEquals(first.getMessage(), again.getMessage());
                }
            }
            server.get(30, TimeUnit.SECONDS);
        }
    }

    private interface RawMisbehaviour {
        void on(Socket raw) throws IOException;
    }

    @Test
    void readsAfterATruncationKeepFailing() throws Exception {
        // TCP closed without close_notify (RFC 8446 6.1: the data may have been truncated)
        everyReadAfterAFailureFails(raw -> raw.shutdownOutput());
    }

    @Test
    void readsAfterABadRecordKeepFailing() throws Exception {
        // an application-data record that does not authenticate: bad_record_mac on our side
        everyReadAfterAFailureFails(raw -> {
            byte[] record = new byte[5 + 40];
            record[0] = 23;
            record[1] = 3;
            record[2] = 3;
            record[4] = 40;
            for (int i = 5; i < record.length; i++) {
                record[i] = (byte) (i * 31);
            }
            raw.getOutputStream().write(record);
            raw.getOutputStream().flush();
        });
    }
}
