package io.tlsaccel.tls.message;

import java.util.List;

/** ClientHello (RFC 8446 4.1.2). Cipher suites are u16 code points. */
public record ClientHello(int legacyVersion, byte[] random, byte[] legacySessionId, int[] cipherSuites,
                          byte[] legacyCompressionMethods, List<Extension> extensions) {

    public static ClientHello decode(TlsReader r) throws TlsAlertException {
        int version = r.u16();
        byte[] random = r.bytes(32);
        byte[] sid = r.u8PrefixedBytes();
        if (sid.length > 32) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "legacy_session_id longer than 32");
        }
        TlsReader suites = r.u16Prefixed();
        if (suites.remaining() < 2 || suites.remaining() % 2 != 0) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR, "bad cipher_suites length");
        }
        int[] cs = new int[suites.remaining() / 2];
        for (int i = 0; i < cs.length; i++) {
            cs[i] = suites.u16();
        }
        byte[] comp = r.u8PrefixedBytes();
        if (comp.length < 1) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR, "empty compression methods");
        }
        List<Extension> exts = Extension.decodeList(r);
        r.expectEnd();
        return new ClientHello(version, random, sid, cs, comp, exts);
    }

    public byte[] encode() {
        TlsWriter w = new TlsWriter(512);
        int m = Handshake.begin(w, HandshakeType.CLIENT_HELLO);
        w.u16(legacyVersion).bytes(random).u8Prefixed(legacySessionId);
        int s = w.beginU16();
        for (int c : cipherSuites) {
            w.u16(c);
        }
        w.end(s);
        w.u8Prefixed(legacyCompressionMethods);
        Extension.encodeList(w, extensions);
        w.end(m);
        return w.toByteArray();
    }

    public byte[] extension(int type) {
        return Extension.find(extensions, type);
    }
}
