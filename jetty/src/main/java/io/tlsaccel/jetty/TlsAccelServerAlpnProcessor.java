package io.tlsaccel.jetty;

import io.tlsaccel.tls.engine.TlsEngine;
import java.util.List;
import javax.net.ssl.SSLEngine;
import org.eclipse.jetty.alpn.server.ALPNServerConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.ALPNProcessor;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;

/**
 * Server-side ALPN (RFC 7301) for Jetty connectors whose engines are ours. Jetty's own processor
 * only takes engines from {@code java.base}; without one Jetty closes the connection after the
 * ClientHello. Found by Jetty through {@code META-INF/services}: having this jar on the class path
 * is all it takes.
 */
public final class TlsAccelServerAlpnProcessor implements ALPNProcessor.Server {

    @Override
    public boolean appliesTo(SSLEngine engine) {
        return engine instanceof TlsEngine;
    }

    @Override
    public void configure(SSLEngine engine, Connection connection) {
        ALPNServerConnection alpn = (ALPNServerConnection) connection;
        engine.setHandshakeApplicationProtocolSelector((e, offered) -> select(alpn, offered));
        SslConnection tls = ((SslConnection.SslEndPoint) connection.getEndPoint()).getSslConnection();
        tls.addHandshakeListener(new SslHandshakeListener() {
            @Override
            public void handshakeSucceeded(Event event) {
                // No ALPN from the client (the selector never ran): Jetty's default protocol.
                if (alpn.getProtocol() == null) {
                    alpn.unsupported();
                }
            }
        });
    }

    /** Jetty picks from the client's list; null makes the engine send no_application_protocol. */
    private static String select(ALPNServerConnection alpn, List<String> offered) {
        try {
            alpn.select(offered);
            return alpn.getProtocol();
        } catch (RuntimeException noCommonProtocol) {
            return null;
        }
    }
}
