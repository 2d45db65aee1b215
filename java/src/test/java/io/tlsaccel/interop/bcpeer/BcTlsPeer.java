package io.tlsaccel.interop.bcpeer;

import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.security.Security;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Bouncy Castle's JSSE provider (bctls) as a TLS 1.3 peer, run in a JVM of its own with only
 * Bouncy Castle's jars and this class on the class path (by HybridInteropTest). Uses only the JDK and, by name, Bouncy Castle's providers.
 *
 * <pre>
 * BcTlsPeer server KEYSTORE.p12 PASSWORD      prints "port N", then "OK protocol suite" or "FAIL ..."
 * BcTlsPeer client PORT TRUSTSTORE.p12 PASSWORD
 * </pre>
 */
public final class BcTlsPeer {
    private BcTlsPeer() {
    }

    public static void main(String[] args) throws Exception {
        Security.insertProviderAt((java.security.Provider) Class.forName("org.bouncycastle.jce.provider.BouncyCastleProvider")
                .getDeclaredConstructor().newInstance(), 1);
        java.security.Provider jsse = (java.security.Provider) Class.forName("org.bouncycastle.jsse.provider.BouncyCastleJsseProvider")
                .getDeclaredConstructor().newInstance();
        Security.insertProviderAt(jsse, 2);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        char[] password = args[args.length - 1].toCharArray();
        try (InputStream in = new FileInputStream(args[0].equals("server") ? args[1] : args[2])) {
            ks.load(in, password);
        }
        SSLContext ctx = SSLContext.getInstance("TLSv1.3", jsse);
        if (args[0].equals("server")) {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX", jsse);
            kmf.init(ks, password);
            ctx.init(kmf.getKeyManagers(), null, null);
            try (SSLServerSocket ss = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket()) {
                ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                System.out.println("port " + ss.getLocalPort());
                System.out.flush();
                ss.setSoTimeout(20_000);
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    handshake(s);
                }
            }
        } else {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", jsse);
            tmf.init(ks);
            ctx.init(null, tmf.getTrustManagers(), null);
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", Integer.parseInt(args[1]))) {
                handshake(s);
            }
        }
        System.exit(0);
    }

    private static void handshake(SSLSocket s) {
        try {
            s.setSoTimeout(10_000);
            s.startHandshake();
            if (s.getUseClientMode()) {
                s.getOutputStream().write("ping\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                s.getInputStream().read();
            } else {
                while (s.getInputStream().read() != '\n') {
                    // the client's line
                }
                s.getOutputStream().write("pong\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
            }
            System.out.println("OK " + s.getSession().getProtocol() + " " + s.getSession().getCipherSuite());
        } catch (Exception e) {
            System.out.println("FAIL " + e);
        }
        System.out.flush();
    }
}
