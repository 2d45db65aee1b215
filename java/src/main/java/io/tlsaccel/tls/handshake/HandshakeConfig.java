package io.tlsaccel.tls.handshake;

import io.tlsaccel.tls.record.Tls13CipherSuite;
import io.tlsaccel.tls.record.Tls12CipherSuite;
import java.util.Collection;
import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SSLEngine;

/**
 * What one handshake may negotiate, fixed when it starts (from the engine's SSLParameters).
 *
 * @param suites            enabled suites in preference order
 * @param groups            enabled groups in preference order (a client sends a key share for the first)
 * @param applicationProtocols ALPN: the client's offer, or the server's supported list
 * @param alpnSelector      server-side ALPN callback (SSLEngine.setHandshakeApplicationProtocolSelector), or null
 * @param serverName        client: the SNI host name to send, or null
 * @param sniMatchers       server: SNI matchers from SSLParameters, may be empty
 * @param tls13             TLSv1.3 is enabled
 * @param tls12             TLSv1.2 is enabled
 * @param suites12          enabled TLS 1.2 suites in preference order
 */
public record HandshakeConfig(List<Tls13CipherSuite> suites, List<NamedGroup> groups,
                              List<String> applicationProtocols,
                              BiFunction<SSLEngine, List<String>, String> alpnSelector,
                              String serverName, Collection<SNIMatcher> sniMatchers,
                              boolean needClientAuth, boolean wantClientAuth,
                              boolean useCipherSuitesOrder,
                              boolean tls13, boolean tls12, List<Tls12CipherSuite> suites12) {

    /** The TLS 1.3-only configuration of earlier versions of this class. */
    public HandshakeConfig(List<Tls13CipherSuite> suites, List<NamedGroup> groups,
                           List<String> applicationProtocols,
                           BiFunction<SSLEngine, List<String>, String> alpnSelector,
                           String serverName, Collection<SNIMatcher> sniMatchers,
                           boolean needClientAuth, boolean wantClientAuth,
                           boolean useCipherSuitesOrder) {
        this(suites, groups, applicationProtocols, alpnSelector, serverName, sniMatchers, needClientAuth,
                wantClientAuth, useCipherSuitesOrder, true, false, List.of());
    }
}
