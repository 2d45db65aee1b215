package io.tlsaccel.jetty;

import javax.net.ssl.SSLContext;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A Jetty 12 server on 127.0.0.1 with ALPN (h2, then http/1.1, the default) over the given
 * SSLContext; every response body is "HTTP-version TLS-version", e.g. "HTTP/2.0 TLSv1.3".
 * Also used by the integration tests (this module's test-jar).
 */
public final class JettyTestServer implements AutoCloseable {
    private final Server server;
    private final int port;

    private JettyTestServer(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    /** @param tlsVersions the versions the server enables, e.g. "TLSv1.3" */
    public static JettyTestServer start(SSLContext context, String... tlsVersions) throws Exception {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setSslContext(context);
        tls.setIncludeProtocols(tlsVersions);
        HttpConfiguration http = new HttpConfiguration();
        http.addCustomizer(new SecureRequestCustomizer(false));
        HttpConnectionFactory h1 = new HttpConnectionFactory(http);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
        alpn.setDefaultProtocol(h1.getProtocol());
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, alpn.getProtocol()),
                alpn, new HTTP2ServerConnectionFactory(http), h1);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                EndPoint.SslSessionData ssl = (EndPoint.SslSessionData) request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
                String body = request.getConnectionMetaData().getProtocol() + " " + ssl.sslSession().getProtocol();
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                Content.Sink.write(response, true, body, callback);
                return true;
            }
        });
        server.start();
        return new JettyTestServer(server, connector.getLocalPort());
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
