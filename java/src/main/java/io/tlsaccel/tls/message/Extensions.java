package io.tlsaccel.tls.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/** Encoders and bounded decoders for the extension bodies TLS 1.3 uses. */
public final class Extensions {
    private Extensions() {
    }

    private static TlsAlertException illegal(String what) {
        return new TlsAlertException(AlertDescription.DECODE_ERROR, what);
    }

    // ---- supported_versions (RFC 8446 4.2.1) ----

    public static Extension supportedVersionsClient(int[] versions) {
        TlsWriter w = new TlsWriter();
        int m = w.beginU8();
        for (int v : versions) {
            w.u16(v);
        }
        w.end(m);
        return new Extension(ExtensionType.SUPPORTED_VERSIONS, w.toByteArray());
    }

    public static int[] parseSupportedVersionsClient(byte[] data) throws TlsAlertException {
        TlsReader r = new TlsReader(data);
        TlsReader list = r.u8Prefixed();
        r.expectEnd();
        if (list.remaining() < 2 || list.remaining() % 2 != 0) {
            throw illegal("bad supported_versions list");
        }
        int[] out = new int[list.remaining() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.u16();
        }
        return out;
    }

    public static Extension supportedVersionsServer(int version) {
        return new Extension(ExtensionType.SUPPORTED_VERSIONS, new TlsWriter(2).u16(version).toByteArray());
    }

    public static int parseSupportedVersionsServer(byte[] data) throws TlsAlertException {
        TlsReader r = new TlsReader(data);
        int v = r.u16();
        r.expectEnd();
        return v;
    }

    // ---- u16 lists: supported_groups (4.2.7), signature_algorithms(_cert) (4.2.3) ----

    public static Extension u16List(int type, int[] values) {
        TlsWriter w = new TlsWriter();
        int m = w.beginU16();
        for (int v : values) {
            w.u16(v);
        }
        w.end(m);
        return new Extension(type, w.toByteArray());
    }

    public static int[] parseU16List(byte[] data) throws TlsAlertException {
        TlsReader r = new TlsReader(data);
        TlsReader list = r.u16Prefixed();
        r.expectEnd();
        if (list.remaining() < 2 || list.remaining() % 2 != 0) {
            throw illegal("bad u16 list");
        }
        int[] out = new int[list.remaining() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.u16();
        }
        return out;
    }

    // ---- key_share (4.2.8) ----

    public static Extension keyShareClient(List<KeyShareEntry> shares) {
        TlsWriter w = new TlsWriter();
        int m = w.beginU16();
        for (KeyShareEntry e : shares) {
            w.u16(e.group());
            w.u16Prefixed(e.keyExchange());
        }
        w.end(m);
        return new Extension(ExtensionType.KEY_SHARE, w.toByteArray());
    }

    public static List<KeyShareEntry> parseKeyShareClient(byte[] data) throws TlsAlertException {
        TlsReader r = new TlsReader(data);
        TlsReader list = r.u16Prefixed();
        r.expectEnd();
        List<KeyShareEntry> out = new ArrayList<>();
        // One bit per group seen: the duplicate check stays linear in the number of shares.
        BitSet seen = new BitSet();
        while (list.hasRemaining()) {
            int group = list.u16();
            byte[] key = list.u16PrefixedBytes();
            if (key.length == 0) {
                throw illegal("empty key_exchange");
            }
            if (seen.get(group)) {
                // RFC 8446 4.2.8: clients MUST NOT offer multiple shares for the same group.
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER,
                        "duplicate key share for group " + group);
            }
            seen.set(group);
            out.add(new KeyShareEntry(group, key));
        }
        return out;
    }

    public static Extension keyShareServer(KeyShareEntry e) {
        TlsWriter w = new TlsWriter();
        w.u16(e.group());
        w.u16Prefixed(e.keyExchange());
        return new Extension(ExtensionType.KEY_SHARE, w.toByteArray());
    }

    public static KeyShareEntry parseKeyShareServer(byte[] data) throws TlsAlertException {
        TlsReader r = new TlsReader(data);
        int group = r.u16();
        byte[] key = r.u16PrefixedBytes();
        r.expectEnd();
        if (key.length == 0) {
            throw illegal("empty key_exchange");
        }
        return new KeyShareEntry(group, key);
    }

    public static Extension keyShareHelloRetry(int group) {
        return new Extension(ExtensionType.KEY_SHARE, new TlsWriter(2).u16(group).toByteArray());
    }

    public static int parseKeyShareHelloRetry(byte[] data) throws TlsAlertException {
        TlsReader r = new TlsReader(data);
        int g = r.u16();
        r.expectEnd();
        return g;
    }

    // ---- server_name (RFC 6066 3) ----

    public static Extension serverName(String host) {
        TlsWriter w = new TlsWriter();
        int m = w.beginU16();
        w.u8(0); // host_name
        w.u16Prefixed(host.getBytes(StandardCharsets.US_ASCII));
        w.end(m);
        return new Extension(ExtensionType.SERVER_NAME, w.toByteArray());
    }

    /** The host_name in a ClientHello server_name extension, or null if there is none. */
    public static String parseServerName(byte[] data) throws TlsAlertException {
        TlsReader r = new TlsReader(data);
        TlsReader list = r.u16Prefixed();
        r.expectEnd();
        String host = null;
        while (list.hasRemaining()) {
            int type = list.u8();
            byte[] name = list.u16PrefixedBytes();
            if (type == 0) {
                if (host != null || name.length == 0) {
                    throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "bad server_name");
                }
                for (byte b : name) {
                    if (b <= 0x20 || b >= 0x7f) {
                        throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER,
                                "server_name is not an ASCII host name");
                    }
                }
                host = new String(name, StandardCharsets.US_ASCII);
            }
        }
        return host;
    }

    // ---- ALPN (RFC 7301 3.1) ----

    public static Extension alpn(List<String> protocols) {
        TlsWriter w = new TlsWriter();
        int m = w.beginU16();
        for (String p : protocols) {
            byte[] b = p.getBytes(StandardCharsets.UTF_8);
            if (b.length == 0 || b.length > 255) {
                throw new IllegalArgumentException("ALPN protocol name must be 1..255 bytes");
            }
            w.u8Prefixed(b);
        }
        w.end(m);
        return new Extension(ExtensionType.ALPN, w.toByteArray());
    }

    public static List<String> parseAlpn(byte[] data) throws TlsAlertException {
        TlsReader r = new TlsReader(data);
        TlsReader list = r.u16Prefixed();
        r.expectEnd();
        List<String> out = new ArrayList<>();
        if (!list.hasRemaining()) {
            throw illegal("empty ALPN list");
        }
        while (list.hasRemaining()) {
            byte[] p = list.u8PrefixedBytes();
            if (p.length == 0) {
                throw illegal("empty ALPN protocol name");
            }
            out.add(new String(p, StandardCharsets.UTF_8));
        }
        return out;
    }

    // ---- cookie (4.2.2) ----

    public static Extension cookie(byte[] cookie) {
        return new Extension(ExtensionType.COOKIE, new TlsWriter().u16Prefixed(cookie).toByteArray());
    }

    public static byte[] parseCookie(byte[] data) throws TlsAlertException {
        TlsReader r = new TlsReader(data);
        byte[] c = r.u16PrefixedBytes();
        r.expectEnd();
        if (c.length == 0) {
            throw illegal("empty cookie");
        }
        return c;
    }

    // ---- psk_key_exchange_modes (4.2.9): recognised, no PSK support yet ----

    public static int[] parsePskKeyExchangeModes(byte[] data) throws TlsAlertException {
        TlsReader r = new TlsReader(data);
        TlsReader list = r.u8Prefixed();
        r.expectEnd();
        int[] out = new int[list.remaining()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.u8();
        }
        return out;
    }
}
