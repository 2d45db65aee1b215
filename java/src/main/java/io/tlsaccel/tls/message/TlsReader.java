package io.tlsaccel.tls.message;

/**
 * A bounded cursor over a slice of a byte array (the CBS pattern): every read checks the
 * bound and fails with a decode_error alert instead of running past the end; a
 * length-prefixed field becomes its own sub-reader; {@link #expectEnd()} rejects leftovers.
 */
public final class TlsReader {
    private final byte[] data;
    private int pos;
    private final int end;

    public TlsReader(byte[] data) {
        this(data, 0, data.length);
    }

    public TlsReader(byte[] data, int off, int len) {
        if (off < 0 || len < 0 || off + len > data.length) {
            throw new IndexOutOfBoundsException();
        }
        this.data = data;
        this.pos = off;
        this.end = off + len;
    }

    public int remaining() {
        return end - pos;
    }

    public boolean hasRemaining() {
        return pos < end;
    }

    /** Absolute position in the underlying array. */
    public int position() {
        return pos;
    }

    private void need(int n) throws TlsAlertException {
        if (n < 0 || end - pos < n) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR,
                    "message truncated: needed " + n + " bytes, " + (end - pos) + " left");
        }
    }

    public int u8() throws TlsAlertException {
        need(1);
        return data[pos++] & 0xff;
    }

    public int u16() throws TlsAlertException {
        need(2);
        int v = ((data[pos] & 0xff) << 8) | (data[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    public int u24() throws TlsAlertException {
        need(3);
        int v = ((data[pos] & 0xff) << 16) | ((data[pos + 1] & 0xff) << 8) | (data[pos + 2] & 0xff);
        pos += 3;
        return v;
    }

    public long u32() throws TlsAlertException {
        need(4);
        long v = ((long) (data[pos] & 0xff) << 24) | ((data[pos + 1] & 0xff) << 16)
                | ((data[pos + 2] & 0xff) << 8) | (data[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    public byte[] bytes(int n) throws TlsAlertException {
        need(n);
        byte[] out = new byte[n];
        System.arraycopy(data, pos, out, 0, n);
        pos += n;
        return out;
    }

    public void skip(int n) throws TlsAlertException {
        need(n);
        pos += n;
    }

    /** A sub-reader over the next n bytes; this reader moves past them. */
    public TlsReader sub(int n) throws TlsAlertException {
        need(n);
        TlsReader r = new TlsReader(data, pos, n);
        pos += n;
        return r;
    }

    public TlsReader u8Prefixed() throws TlsAlertException {
        return sub(u8());
    }

    public TlsReader u16Prefixed() throws TlsAlertException {
        return sub(u16());
    }

    public TlsReader u24Prefixed() throws TlsAlertException {
        return sub(u24());
    }

    public byte[] u8PrefixedBytes() throws TlsAlertException {
        return bytes(u8());
    }

    public byte[] u16PrefixedBytes() throws TlsAlertException {
        return bytes(u16());
    }

    public byte[] u24PrefixedBytes() throws TlsAlertException {
        return bytes(u24());
    }

    /** Leftover bytes after a structure are a decode_error. */
    public void expectEnd() throws TlsAlertException {
        if (pos != end) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR,
                    (end - pos) + " unexpected trailing bytes");
        }
    }
}
