package io.tlsaccel.tls.handshake;

import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.TlsAlertException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXReason;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The peer's certificate chain, checked only through the user's trust manager (with the
 * engine, so endpoint identification, algorithm constraints and the user's PKIX and CRL
 * settings apply), for both versions and both sides.
 */
final class PeerCertificates {

    private PeerCertificates() {
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
                if (r == CertPathValidatorException.BasicReason.INVALID_SIGNATURE
                        || r == CertPathValidatorException.BasicReason.ALGORITHM_CONSTRAINED) {
                    alert = AlertDescription.BAD_CERTIFICATE;
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
