package io.tlsaccel.tls.message;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** One extension as it appears on the wire: its type and opaque body (RFC 8446 4.2). */
public record Extension(int type, byte[] data) {

    /** Decodes an extension block (u16-prefixed list); a repeated type is illegal_parameter. */
    public static List<Extension> decodeList(TlsReader r) throws TlsAlertException {
        if (!r.hasRemaining()) {
            return new ArrayList<>();
        }
        return decodeBody(r.u16Prefixed());
    }

    /** Decodes the body of an extension block whose u16 length was already read. */
    public static List<Extension> decodeBody(TlsReader list) throws TlsAlertException {
        List<Extension> out = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        while (list.hasRemaining()) {
            int type = list.u16();
            byte[] data = list.u16PrefixedBytes();
            // RFC 8446 4.2: no more than one extension of the same type in a block.
            if (!seen.add(type)) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER,
                        "duplicate extension " + type);
            }
            out.add(new Extension(type, data));
        }
        return out;
    }

    public static void encodeList(TlsWriter w, List<Extension> exts) {
        int m = w.beginU16();
        for (Extension e : exts) {
            w.u16(e.type());
            w.u16Prefixed(e.data());
        }
        w.end(m);
    }

    /** The body of the extension of this type, or null. */
    public static byte[] find(List<Extension> exts, int type) {
        for (Extension e : exts) {
            if (e.type() == type) {
                return e.data();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "Extension[" + type + ", " + data.length + " bytes]";
    }
}
