package io.tlsaccel.tls.message;

import java.util.ArrayList;
import java.util.List;

/**
 * The pre_shared_key extension of a ClientHello (RFC 8446 4.2.11): the PSK identities offered
 * (a ticket and its obfuscated age each) and one binder per identity.
 */
public record OfferedPsks(List<Identity> identities, List<byte[]> binders) {

    /** psk_dhe_ke (4.2.9): PSK with (EC)DHE, the only mode we offer or accept. */
    public static final int PSK_DHE_KE = 1;

    /** One PskIdentity. */
    public record Identity(byte[] identity, long obfuscatedTicketAge) {
    }

    /** The bytes of the binders list (its u16 length included): what Truncate(ClientHello) leaves out (4.2.11.2). */
    public int bindersLength() {
        int n = 2;
        for (byte[] b : binders) {
            n += 1 + b.length;
        }
        return n;
    }

    public Extension encode() {
        TlsWriter w = new TlsWriter();
        int ids = w.beginU16();
        for (Identity i : identities) {
            w.u16Prefixed(i.identity()).u32(i.obfuscatedTicketAge());
        }
        w.end(ids);
        int bs = w.beginU16();
        for (byte[] b : binders) {
            w.u8Prefixed(b);
        }
        w.end(bs);
        return new Extension(ExtensionType.PRE_SHARED_KEY, w.toByteArray());
    }

    /** Decodes and checks the syntax: non-empty lists, identities of 1 byte or more, binders of 32-255 bytes, as many binders as identities. */
    public static OfferedPsks decode(byte[] data) throws TlsAlertException {
        TlsReader r = new TlsReader(data);
        TlsReader ids = r.u16Prefixed();
        TlsReader bs = r.u16Prefixed();
        r.expectEnd();
        List<Identity> identities = new ArrayList<>();
        while (ids.hasRemaining()) {
            byte[] id = ids.u16PrefixedBytes();
            if (id.length == 0) {
                throw new TlsAlertException(AlertDescription.DECODE_ERROR, "empty PSK identity");
            }
            identities.add(new Identity(id, ids.u32()));
        }
        List<byte[]> binders = new ArrayList<>();
        while (bs.hasRemaining()) {
            byte[] b = bs.u8PrefixedBytes();
            if (b.length < 32) {
                throw new TlsAlertException(AlertDescription.DECODE_ERROR, "PSK binder under 32 bytes");
            }
            binders.add(b);
        }
        if (identities.isEmpty() || binders.isEmpty()) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR, "empty pre_shared_key lists");
        }
        if (identities.size() != binders.size()) {
            // 4.2.11: one binder per identity.
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "PSK identities and binders differ in number");
        }
        return new OfferedPsks(List.copyOf(identities), List.copyOf(binders));
    }

    /** The server's pre_shared_key: the index of the identity it chose. */
    public static Extension selected(int index) {
        return new Extension(ExtensionType.PRE_SHARED_KEY, new TlsWriter(2).u16(index).toByteArray());
    }

    public static int parseSelected(byte[] data) throws TlsAlertException {
        TlsReader r = new TlsReader(data);
        int index = r.u16();
        r.expectEnd();
        return index;
    }

    /** psk_key_exchange_modes (4.2.9) with psk_dhe_ke only. */
    public static Extension dheModeOnly() {
        return new Extension(ExtensionType.PSK_KEY_EXCHANGE_MODES, new byte[] {1, PSK_DHE_KE});
    }
}
