package io.tlsaccel.tls.message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * TLS 1.2 CertificateRequest (RFC 5246 7.4.4):
 * <pre>
 *   ClientCertificateType certificate_types&lt;1..2^8-1&gt;;
 *   SignatureAndHashAlgorithm supported_signature_algorithms&lt;2..2^16-2&gt;;
 *   DistinguishedName certificate_authorities&lt;0..2^16-1&gt;;   DistinguishedName = opaque&lt;1..2^16-1&gt;
 * </pre>
 * The names are DER-encoded X.501 Names, kept as bytes.
 */
public record Tls12CertificateRequest(int[] certificateTypes, int[] signatureSchemes,
                                      List<byte[]> certificateAuthorities) {
    /** ClientCertificateType (RFC 5246 7.4.4, RFC 8422 5.5). */
    public static final int RSA_SIGN = 1;
    public static final int ECDSA_SIGN = 64;

    public Tls12CertificateRequest {
        certificateTypes = certificateTypes.clone();
        signatureSchemes = signatureSchemes.clone();
        certificateAuthorities = List.copyOf(certificateAuthorities);
    }

    public static Tls12CertificateRequest decode(TlsReader r) throws TlsAlertException {
        TlsReader types = r.u8Prefixed();
        if (!types.hasRemaining()) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR, "empty certificate_types");
        }
        int[] certTypes = new int[types.remaining()];
        for (int i = 0; i < certTypes.length; i++) {
            certTypes[i] = types.u8();
        }
        TlsReader algs = r.u16Prefixed();
        if (algs.remaining() < 2 || (algs.remaining() & 1) != 0) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR, "supported_signature_algorithms of " + algs.remaining() + " bytes");
        }
        int[] schemes = new int[algs.remaining() / 2];
        for (int i = 0; i < schemes.length; i++) {
            schemes[i] = algs.u16();
        }
        TlsReader cas = r.u16Prefixed();
        List<byte[]> names = new ArrayList<>();
        while (cas.hasRemaining()) {
            byte[] dn = cas.u16PrefixedBytes();
            if (dn.length == 0) {
                throw new TlsAlertException(AlertDescription.DECODE_ERROR, "empty DistinguishedName");
            }
            names.add(dn);
        }
        r.expectEnd();
        return new Tls12CertificateRequest(certTypes, schemes, names);
    }

    public byte[] encode() {
        TlsWriter w = new TlsWriter(256);
        int m = Handshake.begin(w, HandshakeType.CERTIFICATE_REQUEST);
        int t = w.beginU8();
        for (int type : certificateTypes) {
            w.u8(type);
        }
        w.end(t);
        int a = w.beginU16();
        for (int s : signatureSchemes) {
            w.u16(s);
        }
        w.end(a);
        int c = w.beginU16();
        for (byte[] dn : certificateAuthorities) {
            w.u16Prefixed(dn);
        }
        w.end(c);
        w.end(m);
        return w.toByteArray();
    }

    @Override
    public int[] certificateTypes() {
        return certificateTypes.clone();
    }

    @Override
    public int[] signatureSchemes() {
        return signatureSchemes.clone();
    }

    @Override
    public String toString() {
        return "CertificateRequest[types=" + Arrays.toString(certificateTypes) + ", schemes="
                + signatureSchemes.length + ", authorities=" + certificateAuthorities.size() + "]";
    }
}
