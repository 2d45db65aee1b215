package io.tlsaccel.tls.handshake;

import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.TlsAlertException;
import static io.tlsaccel.tls.handshake.HandshakeSupport.contains;

import java.io.ByteArrayInputStream;
import java.security.PublicKey;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXReason;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The peer's certificate chain and signatures, for both versions and both sides: the chain is
 * parsed, handed to the session and checked only through the user's trust manager (with the
 * engine, so endpoint identification, algorithm constraints and the user's PKIX and CRL
 * settings apply); a signature made with its key must use a scheme we offered that fits it.
 */
final class PeerCertificates {

    private PeerCertificates() {
    }

    /** The key type the trust manager is asked about (its authType), or the alert for a leaf key we cannot use. */
    @FunctionalInterface
    interface AuthType {
        String of(X509Certificate leaf) throws TlsAlertException;
    }

    /**
     * A non-empty Certificate message's list (leaf first): parsed, its leaf key checked by
     * {@code authType}, recorded in the session and checked by the trust manager.
     */
    static X509Certificate[] receive(HandshakeContext ctx, List<byte[]> ders, boolean peerIsServer, AuthType authType)
            throws TlsAlertException {
        X509Certificate[] chain = parse(ders);
        String type = authType.of(chain[0]);
        ctx.peerCertificates(chain);
        check(ctx, chain, peerIsServer, type);
        return chain;
    }

    /** A chain as DER (leaf first), for a ticket or a session cache; null gives an empty list. */
    static List<byte[]> encode(X509Certificate[] chain) throws TlsAlertException {
        List<byte[]> out = new java.util.ArrayList<>();
        if (chain == null) {
            return out;
        }
        try {
            for (X509Certificate c : chain) {
                out.add(c.getEncoded());
            }
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new TlsAlertException(AlertDescription.INTERNAL_ERROR, "cannot encode a certificate", e);
        }
        return out;
    }

    /** A chain from DER, or null for an empty list (a session without that peer's certificates). */
    static X509Certificate[] parseOrNull(List<byte[]> ders) throws TlsAlertException {
        if (ders.isEmpty()) {
            return null;
        }
        X509Certificate[] chain = new X509Certificate[ders.size()];
        for (int i = 0; i < chain.length; i++) {
            chain[i] = RESUMED.get(ders.get(i));
            if (chain[i] == null) {
                X509Certificate[] parsed = parse(ders);
                for (int j = 0; j < parsed.length; j++) {
                    RESUMED.put(ders.get(j), parsed[j]);
                }
                return parsed;
            }
        }
        return chain;
    }

    /**
     * The certificates of sessions being resumed, parsed once: a client resumes the same few
     * sessions again and again, and parsing their chain each time was 1% of a resumed
     * handshake. Only chains authenticated in an earlier full handshake come here (from a
     * session cache or a ticket we sealed); full handshakes always parse what they receive.
     */
    private static final DerCache RESUMED = new DerCache(256);

    /** Parsed certificates by their exact DER encoding, at most {@code max} (then emptied). */
    private static final class DerCache {
        private final int max;
        private final java.util.concurrent.ConcurrentHashMap<Der, X509Certificate> map =
                new java.util.concurrent.ConcurrentHashMap<>();

        DerCache(int max) {
            this.max = max;
        }

        X509Certificate get(byte[] der) {
            return map.get(new Der(der));
        }

        void put(byte[] der, X509Certificate cert) {
            if (map.size() >= max) {
                map.clear();
            }
            map.put(new Der(der.clone()), cert);
        }
    }

    /** A DER encoding as a map key: equal when the bytes are. */
    private static final class Der {
        private final byte[] bytes;
        private final int hash;

        Der(byte[] bytes) {
            this.bytes = bytes;
            this.hash = java.util.Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Der d && d.hash == hash && java.util.Arrays.equals(d.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** DER certificates as X.509 objects; one that does not parse is bad_certificate. */
    static X509Certificate[] parse(List<byte[]> ders) throws TlsAlertException {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            X509Certificate[] chain = new X509Certificate[ders.size()];
            for (int i = 0; i < chain.length; i++) {
                chain[i] = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(ders.get(i)));
            }
            return chain;
        } catch (CertificateException | RuntimeException e) {
            throw new TlsAlertException(AlertDescription.BAD_CERTIFICATE, "cannot parse the peer's certificate", e);
        }
    }

    /**
     * A signature by the peer's certificate key (TLS 1.3 CertificateVerify 4.4.3, TLS 1.2
     * CertificateVerify 7.4.8 and ServerKeyExchange 7.4.3): the scheme must be one we offered
     * and fit the key (else illegal_parameter), and the signature must verify (else
     * decrypt_error). {@code traceLabel} names it in the trace, e.g. "server signature".
     */
    static void verifySignature(HandshakeContext ctx, int schemeId, int[] offered, PublicKey key, boolean tls13,
                                byte[] signed, byte[] signature, String what, String traceLabel) throws TlsAlertException {
        SignatureScheme scheme = SignatureScheme.of(schemeId);
        boolean fits = scheme != null && contains(offered, scheme.id())
                && (tls13 ? scheme.usableInHandshake() && scheme.matches(key) : scheme.matchesTls12(key));
        if (!fits) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "bad " + what + " signature scheme");
        }
        if (!scheme.verify(key, signed, signature)) {
            throw new TlsAlertException(AlertDescription.DECRYPT_ERROR, what + " signature invalid");
        }
        ctx.trace(traceLabel + " " + scheme.rfcName() + " verified");
    }

    /** Checks {@code chain} (leaf first) or throws the alert the RFC names for the rejection. */
    static void check(HandshakeContext ctx, X509Certificate[] chain, boolean peerIsServer, String authType)
            throws TlsAlertException {
        X509TrustManager tm = ctx.trustManager();
        try {
            if (tm instanceof X509ExtendedTrustManager etm) {
                if (peerIsServer) {
                    etm.checkServerTrusted(chain.clone(), authType, ctx.engine());
                } else {
                    etm.checkClientTrusted(chain.clone(), authType, ctx.engine());
                }
            } else if (peerIsServer) {
                tm.checkServerTrusted(chain.clone(), authType);
            } else {
                tm.checkClientTrusted(chain.clone(), authType);
            }
        } catch (CertificateException e) {
            throw alertFor(e);
        } catch (RuntimeException e) {
            throw new TlsAlertException(AlertDescription.CERTIFICATE_UNKNOWN, "trust manager failed", e);
        }
        ctx.trace((peerIsServer ? "server" : "client") + " certificate " + chain[0].getSubjectX500Principal()
                + " accepted by the trust manager");
    }

    /**
     * Maps a trust manager's rejection to the alert to send (RFC 8446 6.2), from the reason in
     * the cause chain: expiry, revocation, unknown issuer; anything else is certificate_unknown.
     */
    static TlsAlertException alertFor(CertificateException e) {
        AlertDescription alert = AlertDescription.CERTIFICATE_UNKNOWN;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                alert = AlertDescription.CERTIFICATE_EXPIRED;
                break;
            }
            if (t instanceof CertPathValidatorException cpve) {
                CertPathValidatorException.Reason r = cpve.getReason();
                if (r == CertPathValidatorException.BasicReason.EXPIRED
                        || r == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                    alert = AlertDescription.CERTIFICATE_EXPIRED;
                    break;
                }
                if (r == CertPathValidatorException.BasicReason.REVOKED) {
                    alert = AlertDescription.CERTIFICATE_REVOKED;
                    break;
                }
                if (r == PKIXReason.NO_TRUST_ANCHOR) {
                    alert = AlertDescription.UNKNOWN_CA;
                    break;
                }
                if (r == CertPathValidatorException.BasicReason.INVALID_SIGNATURE) {
                    alert = AlertDescription.BAD_CERTIFICATE;
                    break;
                }
                if (r == CertPathValidatorException.BasicReason.ALGORITHM_CONSTRAINED) {
                    // a key or algorithm the JDK's policy refuses: nothing is corrupt, the
                    // certificate is just not acceptable here (SunJSSE sends the same)
                    alert = AlertDescription.CERTIFICATE_UNKNOWN;
                    break;
                }
            }
            if (t instanceof CertPathBuilderException) {
                // No path to a trust anchor could be built.
                alert = AlertDescription.UNKNOWN_CA;
                break;
            }
        }
        return new TlsAlertException(alert, "peer certificate rejected: " + e.getMessage(), e);
    }
}
