package io.tlsaccel.tls.handshake;

import io.tlsaccel.tls.record.CipherSuite;
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
 */
public record HandshakeConfig(List<CipherSuite> suites, List<NamedGroup> groups,
                              List<String> applicationProtocols,
                              BiFunction<SSLEngine, List<String>, String> alpnSelector,
                              String serverName, Collection<SNIMatcher> sniMatchers,
                              boolean needClientAuth, boolean wantClientAuth,
                              boolean useCipherSuitesOrder) {
}
