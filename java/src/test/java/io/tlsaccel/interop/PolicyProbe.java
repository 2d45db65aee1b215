package io.tlsaccel.interop;

import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
import io.tlsaccel.testutil.TestPki.KeyType;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * One side of one handshake, in a JVM of its own so that the JDK's TLS policy can be set for
 * it ({@code -Djava.security.properties}); run by {@link JdkPolicyInteropTest}. Prints
 * {@code port N} (server), then {@code OK <protocol> <suite>} or {@code FAIL <exception>}.
 *
 * <pre>
 * PolicyProbe server sun|ours RSA|EC_P256
 * PolicyProbe client sun|ours PORT CA.pem
 * </pre>
 */
public final class PolicyProbe {

    private PolicyProbe() {
    }

    public static void main(String[] args) throws Exception {
        boolean ours = args[1].equals("ours");
        if (args[0].equals("server")) {
            Credential ca = TestPki.newCa("Policy CA");
            Credential leaf = TestPki.issue(ca, KeyType.valueOf(args[2]), "localhost");
            SSLContext ctx = ours ? Peers.ours("TLS", TestPki.keyManagers(leaf), TestPki.trustManagers(ca))
                    : Peers.jdk("TLS", TestPki.keyManagers(leaf), TestPki.trustManagers(ca));
            try (SSLServerSocket ss = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket()) {
                ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                System.out.println("port " + ss.getLocalPort());
                System.out.flush();
                ((ServerSocket) ss).setSoTimeout(20_000);
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.setSoTimeout(10_000);
                    handshake(s);
                }
            }
        } else {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream in = new FileInputStream(args[3])) {
                trust.setCertificateEntry("ca", (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);
            SSLContext ctx = ours ? Peers.ours("TLS", null, tmf.getTrustManagers()) : Peers.jdk("TLS", null, tmf.getTrustManagers());
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", Integer.parseInt(args[2]))) {
                s.setSoTimeout(10_000);
                handshake(s);
            }
        }
        System.out.flush();
        System.exit(0);
    }

    private static void handshake(SSLSocket s) {
        try {
            s.startHandshake();
            SSLSession session = s.getSession();
            System.out.println("OK " + session.getProtocol() + " " + session.getCipherSuite());
        } catch (Exception e) {
            System.out.println("FAIL " + e);
        }
    }
}
