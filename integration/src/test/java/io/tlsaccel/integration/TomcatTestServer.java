package io.tlsaccel.integration;

import io.tlsaccel.provider.TlsAccelProvider;
import io.tlsaccel.testutil.TestPki.Credential;
import io.tlsaccel.tls.engine.TlsEngine;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.security.Security;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/**
 * Embedded Tomcat 11 (NIO, JSSE) with HTTP/1.1 and h2 through ALPN. Tomcat builds its SSLContext
 * with {@code SSLContext.getInstance("TLS")}, so our provider is put first while it starts (the
 * README's JVM-wide installation) and the previous order restored afterwards.
 */
final class TomcatTestServer implements TestServer {
    /** Held: JUL keeps loggers weakly, and a collected one forgets its level. */
    private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");
    private final Tomcat tomcat;
    private final int port;

    private TomcatTestServer(Tomcat tomcat, int port) {
        this.tomcat = tomcat;
        this.port = port;
    }

    static TomcatTestServer start(Credential leaf, String tlsVersion) throws Exception {
        TOMCAT_LOG.setLevel(Level.WARNING);
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("tomcat").toString());
        StandardContext context = (StandardContext) tomcat.addContext("", null);
        context.setClearReferencesRmiTargets(false);      // leak checks that need --add-opens
        context.setClearReferencesThreadLocals(false);
        Tomcat.addServlet(context, "versions", new VersionsServlet());
        context.addServletMappingDecoded("/", "versions");

        SSLHostConfig host = new SSLHostConfig();
        host.setProtocols(tlsVersion);
        SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.UNDEFINED);
        certificate.setCertificateKeystore(ServerKind.keyStore(leaf));
        certificate.setCertificateKeystorePassword(new String(ServerKind.KEY_PASSWORD));
        host.addCertificate(certificate);
        Connector connector = new Connector("org.apache.coyote.http11.Http11NioProtocol");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setScheme("https");
        connector.setSecure(true);
        connector.setProperty("SSLEnabled", "true");
        connector.addSslHostConfig(host);
        connector.addUpgradeProtocol(new Http2Protocol());
        tomcat.getService().addConnector(connector);

        Security.removeProvider(TlsAccelProvider.NAME);
        Security.insertProviderAt(new TlsAccelProvider(), 1);
        try {
            tomcat.start();
        } finally {
            Security.removeProvider(TlsAccelProvider.NAME);
            TlsAccelProvider.install();
        }
        AbstractHttp11Protocol<?> protocol = (AbstractHttp11Protocol<?>) connector.getProtocolHandler();
        SSLHostConfigCertificate started = protocol.findSslHostConfigs()[0].getCertificates().iterator().next();
        if (!(started.getSslContext().createSSLEngine() instanceof TlsEngine)) {
            tomcat.stop();
            throw new IllegalStateException("Tomcat's engine is not ours");
        }
        return new TomcatTestServer(tomcat, connector.getLocalPort());
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public boolean speaksH2() {
        return true;
    }

    @Override
    public void close() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }

    private static final class VersionsServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().print(request.getProtocol() + " " + request.getAttribute("jakarta.servlet.request.secure_protocol"));
        }
    }
}
