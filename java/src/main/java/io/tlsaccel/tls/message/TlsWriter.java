package io.tlsaccel.tls.message;

import java.util.Arrays;

/**
 * A growable output buffer that back-fills length prefixes (the CBB pattern): open a
 * prefix with {@link #beginU16()} etc., write the body, then {@link #end(int)} it.
 */
public final class TlsWriter {
    private byte[] buf;
    private int len;

    public TlsWriter() {
        this(256);
    }

    public TlsWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    public TlsWriter u8(int v) {
        if ((v & ~0xff) != 0) {
            throw new IllegalArgumentException("u8 out of range");
        }
        ensure(1);
        buf[len++] = (byte) v;
        return this;
    }

    public TlsWriter u16(int v) {
        if ((v & ~0xffff) != 0) {
            throw new IllegalArgumentException("u16 out of range");
        }
        ensure(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    public TlsWriter u24(int v) {
        if ((v & ~0xffffff) != 0) {
            throw new IllegalArgumentException("u24 out of range");
        }
        ensure(3);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    public TlsWriter u32(long v) {
        ensure(4);
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    public TlsWriter bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    public TlsWriter bytes(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        return this;
    }

    /** Starts a length prefix of the given width (1, 2 or 3 bytes); returns its mark. */
    private int begin(int width) {
        ensure(width);
        int mark = len;
        len += width;
        return (width << 28) | mark;
    }

    public int beginU8() {
        return begin(1);
    }

    public int beginU16() {
        return begin(2);
    }

    public int beginU24() {
        return begin(3);
    }

    /** Back-fills the length prefix opened at {@code mark}. */
    public TlsWriter end(int mark) {
        int width = mark >>> 28;
        int at = mark & 0x0fffffff;
        int n = len - at - width;
        if (n >= (1 << (8 * width))) {
            throw new IllegalArgumentException("vector too long for a " + width + "-byte length");
        }
        for (int i = width - 1; i >= 0; i--) {
            buf[at + i] = (byte) (n >>> (8 * (width - 1 - i)));
        }
        return this;
    }

    public TlsWriter u8Prefixed(byte[] b) {
        int m = beginU8();
        bytes(b);
        return end(m);
    }

    public TlsWriter u16Prefixed(byte[] b) {
        int m = beginU16();
        bytes(b);
        return end(m);
    }

    public TlsWriter u24Prefixed(byte[] b) {
        int m = beginU24();
        bytes(b);
        return end(m);
    }

    public int length() {
        return len;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }
}
