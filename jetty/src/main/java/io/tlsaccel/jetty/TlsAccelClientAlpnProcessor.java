package io.tlsaccel.jetty;

import io.tlsaccel.tls.engine.TlsEngine;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.eclipse.jetty.alpn.client.ALPNClientConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.ALPNProcessor;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;

/**
 * Client-side ALPN (RFC 7301) for Jetty's HttpClient when its engines are ours: offers Jetty's
 * protocols and tells Jetty which one the server chose. Found through {@code META-INF/services}.
 */
public final class TlsAccelClientAlpnProcessor implements ALPNProcessor.Client {

    @Override
    public boolean appliesTo(SSLEngine engine) {
        return engine instanceof TlsEngine;
    }

    @Override
    public void configure(SSLEngine engine, Connection connection) {
        ALPNClientConnection alpn = (ALPNClientConnection) connection;
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setApplicationProtocols(alpn.getProtocols().toArray(new String[0]));
        engine.setSSLParameters(parameters);
        SslConnection tls = ((SslConnection.SslEndPoint) connection.getEndPoint()).getSslConnection();
        tls.addHandshakeListener(new SslHandshakeListener() {
            @Override
            public void handshakeSucceeded(Event event) {
                String chosen = event.getSSLEngine().getApplicationProtocol();
                alpn.selected(chosen == null || chosen.isEmpty() ? null : chosen);
            }
        });
    }
}
