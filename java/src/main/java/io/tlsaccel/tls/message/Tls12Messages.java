package io.tlsaccel.tls.message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The TLS 1.2 handshake messages and extensions that TLS 1.3 does not share (RFC 5246 7.4,
 * RFC 8422 for ECDHE, RFC 5746, RFC 7627), encoded and decoded over {@link TlsReader} and
 * {@link TlsWriter}. ClientHello, ServerHello and Finished are the shared classes
 * ({@link ClientHello}, {@link ServerHello}, {@code Finished.decode(r, 12)}).
 *
 * <p>Each {@code decode} takes a reader over the message body (after the 4-byte handshake
 * header) and consumes all of it; each {@code encode} returns the whole handshake message,
 * header included. Syntax errors (bad lengths, vectors out of their bounds, leftovers) are
 * decode_error; what the bytes mean (which group, which scheme) is the handshake's to check.
 */
public final class Tls12Messages {

    /** HandshakeType values of TLS 1.2 only (RFC 5246 7.4). */
    public static final int SERVER_KEY_EXCHANGE = 12;
    public static final int SERVER_HELLO_DONE = 14;
    public static final int CLIENT_KEY_EXCHANGE = 16;

    /** RFC 7627 5.1. */
    public static final int EXTENDED_MASTER_SECRET = 23;
    /** RFC 5746 3.2. */
    public static final int RENEGOTIATION_INFO = 0xff01;
    /** RFC 5746 3.3: the signalling cipher suite value a client may send instead of the extension. */
    public static final int TLS_EMPTY_RENEGOTIATION_INFO_SCSV = 0x00ff;

    /** ECCurveType named_curve (RFC 8422 5.4); the explicit curve types are deprecated there. */
    public static final int NAMED_CURVE = 3;

    /** ClientCertificateType (RFC 5246 7.4.4, RFC 8422 5.5). */
    public static final int RSA_SIGN = 1;
    public static final int ECDSA_SIGN = 64;

    /** The length of ClientHello.random and ServerHello.random (RFC 5246 7.4.1.2). */
    public static final int RANDOM_LENGTH = 32;

    private Tls12Messages() {
    }

    private static TlsAlertException decodeError(String what) {
        return new TlsAlertException(AlertDescription.DECODE_ERROR, what);
    }

    // ---- ServerKeyExchange (ECDHE) ------------------------------------------------------------

    /**
     * ServerKeyExchange for ECDHE_ECDSA and ECDHE_RSA (RFC 8422 5.4):
     * <pre>
     *   struct { ECCurveType curve_type; NamedCurve namedcurve; } ECParameters;   (named_curve only)
     *   struct { ECParameters curve_params; ECPoint public; } ServerECDHParams;  ECPoint = opaque point&lt;1..2^8-1&gt;
     *   struct { ServerECDHParams params; digitally-signed Signature signed_params; } ServerKeyExchange;
     * </pre>
     * with digitally-signed = SignatureAndHashAlgorithm (u16) + opaque signature&lt;0..2^16-1&gt;
     * (RFC 5246 4.7). The signature covers {@link #signedParams(byte[], byte[])}.
     */
    public record EcdheServerKeyExchange(int namedGroup, byte[] publicPoint, int signatureScheme, byte[] signature) {

        public static EcdheServerKeyExchange decode(TlsReader r) throws TlsAlertException {
            int curveType = r.u8();
            if (curveType != NAMED_CURVE) {
                // RFC 8422 5.4: explicit_prime and explicit_char2 MUST NOT be used.
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER,
                        "ServerKeyExchange curve_type " + curveType + " is not named_curve");
            }
            int group = r.u16();
            byte[] point = r.u8PrefixedBytes();
            if (point.length == 0) {
                throw decodeError("empty ECPoint in ServerKeyExchange");
            }
            int scheme = r.u16();
            byte[] sig = r.u16PrefixedBytes();
            r.expectEnd();
            return new EcdheServerKeyExchange(group, point, scheme, sig);
        }

        /** ServerECDHParams as the signature covers it. */
        public byte[] params() {
            return encodeParams(namedGroup, publicPoint);
        }

        /** ServerECDHParams: named_curve, the group, the u8-prefixed point. */
        public static byte[] encodeParams(int namedGroup, byte[] publicPoint) {
            if (publicPoint.length == 0) {
                throw new IllegalArgumentException("empty ECPoint");
            }
            TlsWriter w = new TlsWriter(4 + publicPoint.length);
            w.u8(NAMED_CURVE).u16(namedGroup).u8Prefixed(publicPoint);
            return w.toByteArray();
        }

        /** The bytes signed by the server: client_random + server_random + params (RFC 8422 5.4). */
        public byte[] signedParams(byte[] clientRandom, byte[] serverRandom) {
            return Tls12Messages.signedParams(clientRandom, serverRandom, params());
        }

        public byte[] encode() {
            TlsWriter w = new TlsWriter(16 + publicPoint.length + signature.length);
            int m = Handshake.begin(w, SERVER_KEY_EXCHANGE);
            w.bytes(params());
            w.u16(signatureScheme).u16Prefixed(signature);
            w.end(m);
            return w.toByteArray();
        }

        @Override
        public String toString() {
            return "EcdheServerKeyExchange[group=0x" + Integer.toHexString(namedGroup) + ", point=" + publicPoint.length
                    + " bytes, scheme=0x" + Integer.toHexString(signatureScheme) + ", signature=" + signature.length
                    + " bytes]";
        }
    }

    /**
     * The input of the ServerKeyExchange signature (RFC 5246 7.4.3, RFC 8422 5.4):
     * ClientHello.random + ServerHello.random + ServerKeyExchange.params.
     */
    public static byte[] signedParams(byte[] clientRandom, byte[] serverRandom, byte[] params) {
        if (clientRandom.length != RANDOM_LENGTH || serverRandom.length != RANDOM_LENGTH) {
            throw new IllegalArgumentException("hello randoms are 32 bytes");
        }
        byte[] out = new byte[2 * RANDOM_LENGTH + params.length];
        System.arraycopy(clientRandom, 0, out, 0, RANDOM_LENGTH);
        System.arraycopy(serverRandom, 0, out, RANDOM_LENGTH, RANDOM_LENGTH);
        System.arraycopy(params, 0, out, 2 * RANDOM_LENGTH, params.length);
        return out;
    }

    // ---- ClientKeyExchange ----------------------------------------------------------------------

    /**
     * ClientKeyExchange for ECDHE (RFC 8422 5.7): ClientECDiffieHellmanPublic, an ECPoint
     * {@code opaque point<1..2^8-1>} (the "implicit" form belongs to fixed-ECDH client
     * certificates, which we do not support).
     */
    public record EcdheClientKeyExchange(byte[] publicPoint) {

        public static EcdheClientKeyExchange decode(TlsReader r) throws TlsAlertException {
            byte[] point = r.u8PrefixedBytes();
            if (point.length == 0) {
                throw decodeError("empty ECPoint in ClientKeyExchange");
            }
            r.expectEnd();
            return new EcdheClientKeyExchange(point);
        }

        public byte[] encode() {
            TlsWriter w = new TlsWriter(8 + publicPoint.length);
            int m = Handshake.begin(w, CLIENT_KEY_EXCHANGE);
            w.u8Prefixed(publicPoint);
            w.end(m);
            return w.toByteArray();
        }

        @Override
        public String toString() {
            return "EcdheClientKeyExchange[" + publicPoint.length + " bytes]";
        }
    }

    /**
     * ClientKeyExchange for RSA key transport (RFC 5246 7.4.7.1): EncryptedPreMasterSecret,
     * {@code opaque<0..2^16-1>} with its 2-byte length (TLS 1.0 and later). Only the framing
     * is checked here; the contents go to {@code RsaPremasterSecret.decrypt}, which never
     * fails visibly.
     */
    public record RsaClientKeyExchange(byte[] encryptedPreMasterSecret) {

        public static RsaClientKeyExchange decode(TlsReader r) throws TlsAlertException {
            byte[] ct = r.u16PrefixedBytes();
            r.expectEnd();
            return new RsaClientKeyExchange(ct);
        }

        public byte[] encode() {
            TlsWriter w = new TlsWriter(8 + encryptedPreMasterSecret.length);
            int m = Handshake.begin(w, CLIENT_KEY_EXCHANGE);
            w.u16Prefixed(encryptedPreMasterSecret);
            w.end(m);
            return w.toByteArray();
        }

        @Override
        public String toString() {
            return "RsaClientKeyExchange[" + encryptedPreMasterSecret.length + " bytes]";
        }
    }

    // ---- CertificateRequest ---------------------------------------------------------------------

    /**
     * TLS 1.2 CertificateRequest (RFC 5246 7.4.4):
     * <pre>
     *   ClientCertificateType certificate_types&lt;1..2^8-1&gt;;
     *   SignatureAndHashAlgorithm supported_signature_algorithms&lt;2..2^16-2&gt;;
     *   DistinguishedName certificate_authorities&lt;0..2^16-1&gt;;   DistinguishedName = opaque&lt;1..2^16-1&gt;
     * </pre>
     * The names are DER-encoded X.501 Names, kept as bytes.
     */
    public record CertificateRequest(int[] certificateTypes, int[] signatureSchemes,
                                     List<byte[]> certificateAuthorities) {

        public CertificateRequest {
            certificateTypes = certificateTypes.clone();
            signatureSchemes = signatureSchemes.clone();
            certificateAuthorities = List.copyOf(certificateAuthorities);
        }

        public static CertificateRequest decode(TlsReader r) throws TlsAlertException {
            TlsReader types = r.u8Prefixed();
            if (!types.hasRemaining()) {
                throw decodeError("empty certificate_types");
            }
            int[] certTypes = new int[types.remaining()];
            for (int i = 0; i < certTypes.length; i++) {
                certTypes[i] = types.u8();
            }
            TlsReader algs = r.u16Prefixed();
            if (algs.remaining() < 2 || (algs.remaining() & 1) != 0) {
                throw decodeError("supported_signature_algorithms of " + algs.remaining() + " bytes");
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
                    throw decodeError("empty DistinguishedName");
                }
                names.add(dn);
            }
            r.expectEnd();
            return new CertificateRequest(certTypes, schemes, names);
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

    // ---- ServerHelloDone ------------------------------------------------------------------------

    /** ServerHelloDone (RFC 5246 7.4.5): {@code struct { } ServerHelloDone;} */
    public static final class ServerHelloDone {
        private ServerHelloDone() {
        }

        public static void decode(TlsReader r) throws TlsAlertException {
            r.expectEnd();
        }

        public static byte[] encode() {
            return new byte[] {SERVER_HELLO_DONE, 0, 0, 0};
        }
    }

    // ---- Certificate ----------------------------------------------------------------------------

    /**
     * TLS 1.2 Certificate (RFC 5246 7.4.2): {@code ASN.1Cert certificate_list<0..2^24-1>} with
     * {@code ASN.1Cert = opaque<1..2^24-1>}; no request context and no per-entry extensions
     * (those are TLS 1.3's, {@link CertificateMessage}). An empty list is a client with no
     * certificate (7.4.6).
     */
    public record Certificate(List<byte[]> certificates) {

        public Certificate {
            certificates = List.copyOf(certificates);
        }

        public static Certificate decode(TlsReader r) throws TlsAlertException {
            TlsReader list = r.u24Prefixed();
            r.expectEnd();
            List<byte[]> certs = new ArrayList<>();
            while (list.hasRemaining()) {
                byte[] der = list.u24PrefixedBytes();
                if (der.length == 0) {
                    throw decodeError("empty ASN.1Cert");
                }
                certs.add(der);
            }
            return new Certificate(certs);
        }

        public byte[] encode() {
            int size = 8;
            for (byte[] der : certificates) {
                size += 3 + der.length;
            }
            TlsWriter w = new TlsWriter(size);
            int m = Handshake.begin(w, HandshakeType.CERTIFICATE);
            int l = w.beginU24();
            for (byte[] der : certificates) {
                if (der.length == 0) {
                    throw new IllegalArgumentException("empty certificate");
                }
                w.u24Prefixed(der);
            }
            w.end(l);
            w.end(m);
            return w.toByteArray();
        }

        @Override
        public String toString() {
            return "Certificate[" + certificates.size() + " certificates]";
        }
    }

    // ---- Extensions -----------------------------------------------------------------------------

    /**
     * renegotiation_info (RFC 5746 3.2): {@code opaque renegotiated_connection<0..255>}. On an
     * initial handshake it is empty; on a renegotiation it carries client_verify_data (client)
     * or client_verify_data + server_verify_data (server).
     */
    public static final class RenegotiationInfo {
        private RenegotiationInfo() {
        }

        /** The extension_data carrying {@code renegotiatedConnection}. */
        public static byte[] encode(byte[] renegotiatedConnection) {
            TlsWriter w = new TlsWriter(1 + renegotiatedConnection.length);
            w.u8Prefixed(renegotiatedConnection);
            return w.toByteArray();
        }

        /** The extension for an initial handshake (an empty renegotiated_connection). */
        public static Extension initial() {
            return new Extension(RENEGOTIATION_INFO, new byte[] {0});
        }

        /** renegotiated_connection from extension_data; anything but one u8 vector is decode_error. */
        public static byte[] decode(byte[] extensionData) throws TlsAlertException {
            TlsReader r = new TlsReader(extensionData);
            byte[] value = r.u8PrefixedBytes();
            r.expectEnd();
            return value;
        }

        /**
         * For an initial handshake: the peer's renegotiated_connection must be empty
         * (RFC 5746 3.4 client side, 3.6 server side), else handshake_failure.
         */
        public static void checkInitial(byte[] extensionData) throws TlsAlertException {
            if (decode(extensionData).length != 0) {
                throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE,
                        "renegotiation_info not empty on an initial handshake");
            }
        }
    }

    /** extended_master_secret (RFC 7627 5.1): the extension_data is empty. */
    public static final class ExtendedMasterSecret {
        private ExtendedMasterSecret() {
        }

        public static Extension extension() {
            return new Extension(EXTENDED_MASTER_SECRET, new byte[0]);
        }

        public static void decode(byte[] extensionData) throws TlsAlertException {
            if (extensionData.length != 0) {
                throw decodeError("extended_master_secret with " + extensionData.length + " bytes of data");
            }
        }
    }
}
