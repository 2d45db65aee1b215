package io.tlsaccel.tls.handshake;

import io.tlsaccel.tls.policy.DisabledAlgorithms;
import io.tlsaccel.tls.policy.DisabledAlgorithms.SignatureUse;
import io.tlsaccel.tls.record.Tls13CipherSuite;
import io.tlsaccel.tls.record.Tls12CipherSuite;
import java.security.Key;
import java.util.Arrays;
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
 * @param disabled          the JDK's jdk.tls.disabledAlgorithms: signature schemes and certificate
 *                          keys it refuses are neither offered, chosen nor accepted
 */
public record HandshakeConfig(List<Tls13CipherSuite> suites, List<NamedGroup> groups,
                              List<String> applicationProtocols,
                              BiFunction<SSLEngine, List<String>, String> alpnSelector,
                              String serverName, Collection<SNIMatcher> sniMatchers,
                              boolean needClientAuth, boolean wantClientAuth,
                              boolean useCipherSuitesOrder,
                              boolean tls13, boolean tls12, List<Tls12CipherSuite> suites12,
                              DisabledAlgorithms disabled) {

    /** The TLS 1.3-only configuration of earlier versions of this class. */
    public HandshakeConfig(List<Tls13CipherSuite> suites, List<NamedGroup> groups,
                           List<String> applicationProtocols,
                           BiFunction<SSLEngine, List<String>, String> alpnSelector,
                           String serverName, Collection<SNIMatcher> sniMatchers,
                           boolean needClientAuth, boolean wantClientAuth,
                           boolean useCipherSuitesOrder) {
        this(suites, groups, applicationProtocols, alpnSelector, serverName, sniMatchers, needClientAuth,
                wantClientAuth, useCipherSuitesOrder, true, false, List.of(), DisabledAlgorithms.none());
    }

    /** What we offer in TLS 1.3 signature_algorithms (and accept in CertificateVerify). */
    public int[] handshakeSchemes() {
        return permitted(SignatureScheme.handshakeIds(), SignatureUse.HANDSHAKE);
    }

    /** What we offer in signature_algorithms_cert. */
    public int[] certificateSchemes() {
        return permitted(SignatureScheme.certificateIds(), SignatureUse.CERTIFICATE);
    }

    /** What we offer and accept in TLS 1.2 handshake signatures ({@link SignatureScheme#tls12Ids(String)}). */
    public int[] tls12Schemes(String property) {
        return permitted(property == null ? SignatureScheme.tls12Ids() : SignatureScheme.tls12Ids(property), SignatureUse.HANDSHAKE);
    }

    /** The peer's list less what the policy refuses for handshake signatures, in the peer's order. */
    public int[] permittedHandshakeSchemes(int[] peerSchemes) {
        return permitted(peerSchemes, SignatureUse.HANDSHAKE);
    }

    /** A certificate key (ours or the peer's) the policy allows ("RSA keySize < 2048"). */
    public boolean permitsKey(Key key) {
        return disabled.permitsKey(key);
    }

    private int[] permitted(int[] ids, SignatureUse use) {
        return Arrays.stream(ids).filter(id -> {
            SignatureScheme s = SignatureScheme.of(id);
            return s == null || disabled.permitsSignatureScheme(s.rfcName(),
                    s.constraintName(), use);
        }).toArray();
    }
}
