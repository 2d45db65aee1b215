package io.tlsaccel.tls.engine;

import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Lifts a plain {@link X509TrustManager} to the engine-aware form, adding what the JDK adds for
 * such managers: endpoint identification ("HTTPS"/"LDAPS", RFC 2818 / RFC 6125) of the server
 * certificate against the SNI host name or the peer host.
 */
final class TrustManagerAdapter extends X509ExtendedTrustManager {
    private final X509TrustManager tm;

    TrustManagerAdapter(X509TrustManager tm) {
        this.tm = tm;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        tm.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        tm.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return tm.getAcceptedIssuers();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        tm.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        tm.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        tm.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        tm.checkServerTrusted(chain, authType);
        if (engine == null) {
            return;
        }
        String alg = engine.getSSLParameters().getEndpointIdentificationAlgorithm();
        if (alg == null || alg.isEmpty()) {
            return;
        }
        if (!alg.equalsIgnoreCase("HTTPS") && !alg.equalsIgnoreCase("LDAPS")) {
            throw new CertificateException("unknown endpoint identification algorithm " + alg);
        }
        String host = null;
        SSLSession s = engine.getHandshakeSession();
        if (s instanceof ExtendedSSLSession es) {
            for (SNIServerName n : es.getRequestedServerNames()) {
                if (n instanceof SNIHostName h) {
                    host = h.getAsciiName();
                }
            }
        }
        if (host == null) {
            host = engine.getPeerHost();
        }
        if (host == null) {
            throw new CertificateException("no host name to identify the server by");
        }
        checkHost(host, chain[0]);
    }

    /** RFC 6125 6.4: DNS names (leftmost-label wildcard only) or IP addresses from the SAN. */
    static void checkHost(String host, X509Certificate cert) throws CertificateException {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        boolean ip = looksLikeIp(h);
        Collection<List<?>> sans;
        try {
            sans = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new CertificateException("unreadable subjectAltName", e);
        }
        boolean sawDns = false;
        if (sans != null) {
            for (List<?> san : sans) {
                int type = (Integer) san.get(0);
                if (type == 2) {
                    sawDns = true;
                    if (!ip && dnsMatches(h, ((String) san.get(1)).toLowerCase(Locale.ROOT))) {
                        return;
                    }
                } else if (type == 7 && ip) {
                    try {
                        if (InetAddress.getByName(h).equals(InetAddress.getByName((String) san.get(1)))) {
                            return;
                        }
                    } catch (UnknownHostException e) {
                        // not an address: no match
                    }
                }
            }
        }
        if (!sawDns && !ip) {
            // No DNS name in the SAN: fall back to the most specific CN (RFC 2818 3.1).
            try {
                String cn = null;
                for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN")) {
                        cn = rdn.getValue().toString();
                    }
                }
                if (cn != null && dnsMatches(h, cn.toLowerCase(Locale.ROOT))) {
                    return;
                }
            } catch (InvalidNameException e) {
                // no usable CN
            }
        }
        throw new CertificateException("No name matching " + host + " found in the certificate");
    }

    private static boolean looksLikeIp(String h) {
        return h.indexOf(':') >= 0 || h.chars().allMatch(c -> Character.isDigit(c) || c == '.');
    }

    static boolean dnsMatches(String host, String pattern) {
        if (pattern.endsWith(".")) {
            pattern = pattern.substring(0, pattern.length() - 1);
        }
        if (!pattern.startsWith("*.")) {
            return host.equals(pattern);
        }
        // "*.example.com" matches exactly one label, never a public suffix-like two-label name.
        String suffix = pattern.substring(1);
        if (suffix.indexOf('.', 1) < 0) {
            return false;
        }
        int dot = host.indexOf('.');
        return dot > 0 && host.substring(dot).equals(suffix);
    }
}
