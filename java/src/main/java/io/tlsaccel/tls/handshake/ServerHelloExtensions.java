package io.tlsaccel.tls.handshake;

import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.ClientHello;
import io.tlsaccel.tls.message.ExtensionType;
import io.tlsaccel.tls.message.Extensions;
import io.tlsaccel.tls.message.TlsAlertException;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;

/**
 * The server's answers to server_name and ALPN, the same in TLS 1.2 and 1.3: how the server
 * chooses them, and how the client checks them.
 */
final class ServerHelloExtensions {
    private ServerHelloExtensions() {
    }

    /**
     * SNI (RFC 6066 3) checked against the user's SNI matchers; records the name in the
     * handshake session. Returns whether a host name was accepted (the server then echoes an
     * empty server_name).
     */
    /** The host name the ClientHello asks for (RFC 6066 3), or "" if none: what a resumed session must match. */
    static String requestedHostName(ClientHello ch) throws TlsAlertException {
        byte[] sni = ch.extension(ExtensionType.SERVER_NAME);
        String host = sni == null ? null : Extensions.parseServerName(sni);
        return host == null ? "" : host;
    }

    static boolean acceptServerName(HandshakeContext ctx, ClientHello ch) throws TlsAlertException {
        byte[] sniData = ch.extension(ExtensionType.SERVER_NAME);
        if (sniData == null) {
            return false;
        }
        String host = Extensions.parseServerName(sniData);
        if (host == null) {
            return false;
        }
        SNIHostName name;
        try {
            name = new SNIHostName(host);
        } catch (IllegalArgumentException e) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "server_name is not a valid host name");
        }
        ctx.requestedServerNames(List.of(name));
        HandshakeConfig config = ctx.config();
        if (config.sniMatchers() != null && !config.sniMatchers().isEmpty()) {
            boolean matched = false;
            for (SNIMatcher m : config.sniMatchers()) {
                if (m.getType() == name.getType() && m.matches(name)) {
                    matched = true;
                }
            }
            if (!matched) {
                throw new TlsAlertException(AlertDescription.UNRECOGNIZED_NAME, "server_name not recognised");
            }
        }
        return true;
    }

    /** ALPN (RFC 7301 3.2): the protocol to answer with, or null for none. */
    static String chooseApplicationProtocol(HandshakeContext ctx, ClientHello ch) throws TlsAlertException {
        byte[] alpnData = ch.extension(ExtensionType.ALPN);
        if (alpnData == null) {
            return null;
        }
        HandshakeConfig config = ctx.config();
        List<String> offered = Extensions.parseAlpn(alpnData);
        String protocol = null;
        if (config.alpnSelector() != null) {
            protocol = config.alpnSelector().apply(ctx.engine(), offered);
            if (protocol == null) {
                throw new TlsAlertException(AlertDescription.NO_APPLICATION_PROTOCOL, "ALPN selector refused every protocol");
            }
            if (!protocol.isEmpty() && !offered.contains(protocol)) {
                throw new TlsAlertException(AlertDescription.NO_APPLICATION_PROTOCOL, "ALPN selector chose a protocol not offered");
            }
            return protocol.isEmpty() ? null : protocol;
        }
        if (!config.applicationProtocols().isEmpty()) {
            for (String p : config.applicationProtocols()) {
                if (offered.contains(p)) {
                    return p;
                }
            }
            throw new TlsAlertException(AlertDescription.NO_APPLICATION_PROTOCOL, "no ALPN protocol in common");
        }
        return protocol;
    }

    /** Client side: a server_name answer must be empty and answer one we sent (RFC 6066 3). */
    static void checkServerNameAnswer(HandshakeContext ctx, byte[] data) throws TlsAlertException {
        if (ctx.config().serverName() == null || data.length != 0) {
            throw new TlsAlertException(AlertDescription.UNSUPPORTED_EXTENSION, "unsolicited server_name");
        }
    }

    /** Client side: the ALPN answer names exactly one protocol, one we offered (RFC 7301 3.1). */
    static void acceptApplicationProtocol(HandshakeContext ctx, byte[] data) throws TlsAlertException {
        List<String> offered = ctx.config().applicationProtocols();
        if (offered.isEmpty()) {
            throw new TlsAlertException(AlertDescription.UNSUPPORTED_EXTENSION, "unsolicited ALPN");
        }
        List<String> p = Extensions.parseAlpn(data);
        if (p.size() != 1 || !offered.contains(p.get(0))) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "server selected an ALPN protocol we did not offer");
        }
        ctx.applicationProtocol(p.get(0));
    }
}
