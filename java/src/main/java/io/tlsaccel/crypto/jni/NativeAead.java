package io.tlsaccel.crypto.jni;

import io.tlsaccel.crypto.Aead;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.AeadChecks;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import javax.crypto.AEADBadTagException;

/**
 * An {@link Aead} whose key lives in native memory and whose every seal or open is one
 * JNI call. The context is zeroed and freed by {@link #close()}, or by a Cleaner if the
 * owner forgets; {@link Reference#reachabilityFence} keeps it alive across each call.
 */
final class NativeAead implements Aead {

    private static final Cleaner CLEANER = Cleaner.create();

    private final AeadAlgorithm algorithm;
    private final String implementation;
    private final NativeContext context;
    private final Cleaner.Cleanable cleanable;
    private long ctx;

    // Direct buffers' base addresses, cached by identity: a record layer reuses its buffers,
    // so the steady state makes one plain native call per record.
    private ByteBuffer lastIn;
    private long lastInAddress;
    private ByteBuffer lastOut;
    private long lastOutAddress;
    // The last pair seen: its addresses are asked for when it comes again.
    private ByteBuffer seenIn;
    private ByteBuffer seenOut;

    NativeAead(AeadAlgorithm algorithm, int impl, String implementation, byte[] key, int keyOff, int keyLen) {
        AeadChecks.key(algorithm, key, keyOff, keyLen);
        long handle = AeadJni.create(algorithm.nativeId(), impl, key, keyOff, keyLen);
        if (handle <= 0) {
            throw NativeResults.failure(handle);
        }
        this.algorithm = algorithm;
        this.implementation = implementation;
        this.ctx = handle;
        this.context = new NativeContext(handle, AeadJni::free);
        this.cleanable = CLEANER.register(this, context);
    }

    @Override
    public AeadAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public String implementation() {
        return implementation;
    }

    private long ctx() {
        long c = ctx;
        if (c == 0) {
            throw new IllegalStateException("AEAD context is closed");
        }
        return c;
    }

    @Override
    public int seal(byte[] nonce, byte[] aad, int aadOff, int aadLen,
                    byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        AeadChecks.nonce(nonce);
        AeadChecks.aad(aad, aadOff, aadLen);
        AeadChecks.arrays(true, in, inOff, inLen, out, outOff);
        try {
            return NativeResults.check(arrays(true, nonce, aad, aadOff, aadLen, in, inOff, inLen, out, outOff));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Seal or open on arrays. Up to 16 bytes of AAD travel as numbers with the nonce (the
     * record path's call, which reads nothing else from the VM); longer AAD as an array.
     */
    private int arrays(boolean seal, byte[] nonce, byte[] aad, int aadOff, int aadLen,
                       byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        if (aadLen > 16) {
            return AeadJni.general(ctx(), seal, nonce, aad, aadOff, aadLen, in, false, inOff, inLen, out, false, outOff);
        }
        return AeadJni.record(ctx(), seal, (int) BE_INT.get(nonce, 0), (long) BE_LONG.get(nonce, 4),
                bigEndian(aad, aadOff, Math.min(aadLen, 8)), bigEndian(aad, aadOff + 8, aadLen - 8), aadLen,
                in, false, inOff, inLen, out, false, outOff);
    }

    private static final VarHandle BE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** Up to 8 bytes as the high bytes of a big-endian long (the rest zero). */
    private static long bigEndian(byte[] b, int off, int len) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (i < len ? b[off + i] & 0xff : 0);
        }
        return v;
    }

    @Override
    public int open(byte[] nonce, byte[] aad, int aadOff, int aadLen,
                    byte[] in, int inOff, int inLen, byte[] out, int outOff) throws AEADBadTagException {
        AeadChecks.nonce(nonce);
        AeadChecks.aad(aad, aadOff, aadLen);
        AeadChecks.arrays(false, in, inOff, inLen, out, outOff);
        try {
            return NativeResults.checkOpen(arrays(false, nonce, aad, aadOff, aadLen, in, inOff, inLen, out, outOff));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public int seal(byte[] nonce, byte[] aad, ByteBuffer in, ByteBuffer out) {
        return NativeResults.check(buffers(true, nonce, aad, in, out));
    }

    @Override
    public int open(byte[] nonce, byte[] aad, ByteBuffer in, ByteBuffer out) throws AEADBadTagException {
        return NativeResults.checkOpen(buffers(false, nonce, aad, in, out));
    }

    @Override
    public int sealRecord(int nonceHigh, long nonceLow, long aadHigh, long aadLow, int aadLen,
                          ByteBuffer in, ByteBuffer out) {
        AeadChecks.recordAad(aadLen);
        return NativeResults.check(record(true, nonceHigh, nonceLow, aadHigh, aadLow, aadLen, in, out));
    }

    @Override
    public int openRecord(int nonceHigh, long nonceLow, long aadHigh, long aadLow, int aadLen,
                          ByteBuffer in, ByteBuffer out) throws AEADBadTagException {
        AeadChecks.recordAad(aadLen);
        return NativeResults.checkOpen(record(false, nonceHigh, nonceLow, aadHigh, aadLow, aadLen, in, out));
    }

    @Override
    public int sealRecordWithTrailer(int nonceHigh, long nonceLow, long aadHigh, long aadLow, int aadLen,
                                     ByteBuffer in, int trailer, ByteBuffer out) {
        AeadChecks.buffersWithTrailer(in, trailer, out);
        return sealFrom(nonceHigh, nonceLow, aadHigh, aadLow, aadLen, in, trailer, out);
    }

    @Override
    public int sealRecordFrom(int nonceHigh, long nonceLow, long aadHigh, long aadLow, int aadLen,
                              ByteBuffer in, ByteBuffer out) {
        AeadChecks.buffersSealedFrom(in, 0, out);
        return sealFrom(nonceHigh, nonceLow, aadHigh, aadLow, aadLen, in, AeadJni.NO_TRAILER, out);
    }

    /** One JNI call, reading the content where it lies (see {@link AeadJni#sealFrom}). */
    private int sealFrom(int nonceHigh, long nonceLow, long aadHigh, long aadLow, int aadLen,
                         ByteBuffer in, int trailer, ByteBuffer out) {
        AeadChecks.recordAad(aadLen);
        int contentLength = in.remaining();
        ByteBuffer src = readable(in);
        int rc;
        try {
            rc = AeadJni.sealFrom(ctx(), nonceHigh, nonceLow, aadHigh, aadLow, aadLen,
                    ref(src), src.isDirect(), offset(src), contentLength, trailer, ref(out), out.isDirect(), offset(out));
        } finally {
            Reference.reachabilityFence(this);
        }
        NativeResults.check(rc);
        advance(in, out, rc);
        return rc;
    }

    /** Buffers with array nonce and AAD: up to 16 bytes of AAD take the record path. */
    private int buffers(boolean seal, byte[] nonce, byte[] aad, ByteBuffer in, ByteBuffer out) {
        AeadChecks.nonce(nonce);
        int aadLen = aad == null ? 0 : aad.length;
        if (aadLen <= 16) {
            return record(seal, (int) BE_INT.get(nonce, 0), (long) BE_LONG.get(nonce, 4),
                    bigEndian(aad, 0, Math.min(aadLen, 8)), bigEndian(aad, 8, aadLen - 8), aadLen, in, out);
        }
        int n = AeadChecks.buffers(seal, in, out);
        ByteBuffer src = readable(in);
        int rc;
        try {
            rc = AeadJni.general(ctx(), seal, nonce, aad, 0, aadLen,
                    ref(src), src.isDirect(), offset(src), src.remaining(), ref(out), out.isDirect(), offset(out));
        } finally {
            Reference.reachabilityFence(this);
        }
        if (rc >= 0) {
            advance(in, out, n);
        }
        return rc;
    }

    /** One record on buffers; the raw result, positions advanced only on success. */
    private int record(boolean seal, int nonceHigh, long nonceLow, long aadHigh, long aadLow, int aadLen,
                       ByteBuffer in, ByteBuffer out) {
        int n = AeadChecks.buffers(seal, in, out);
        if (in.isDirect() && out.isDirect()) {
            return recordDirect(seal, nonceHigh, nonceLow, aadHigh, aadLow, aadLen, in, out, n);
        }
        ByteBuffer src = readable(in);
        int rc;
        try {
            rc = AeadJni.record(ctx(), seal, nonceHigh, nonceLow, aadHigh, aadLow, aadLen,
                    ref(src), src.isDirect(), offset(src), src.remaining(), ref(out), out.isDirect(), offset(out));
        } finally {
            Reference.reachabilityFence(this);
        }
        if (rc >= 0) {
            advance(in, out, n);
        }
        return rc;
    }

    /**
     * Both buffers direct: positions and sizes were checked against the buffers by the
     * caller (AeadChecks.buffers), so the addresses passed are inside live memory we hold.
     * Returns the raw result; positions advance only on success.
     *
     * <p>The addresses are cached by buffer identity, but asked for only when a pair of buffers
     * comes back: a caller that hands us new buffer objects for every record (Netty's
     * SslHandler does) is served by one call that finds the addresses itself, instead of
     * three JNI calls.
     */
    private int recordDirect(boolean seal, int nonceHigh, long nonceLow, long aadHigh, long aadLow, int aadLen,
                             ByteBuffer in, ByteBuffer out, int written) {
        if (in != lastIn || out != lastOut) {
            boolean seenBefore = in == seenIn && out == seenOut;
            seenIn = in;
            seenOut = out;
            if (!seenBefore) {
                return recordOnce(seal, nonceHigh, nonceLow, aadHigh, aadLow, aadLen, in, out, written);
            }
            lastInAddress = baseAddress(in);
            lastIn = in;
            lastOutAddress = baseAddress(out);
            lastOut = out;
        }
        int rc;
        try {
            rc = AeadJni.recordDirect(ctx(), seal, nonceHigh, nonceLow, aadHigh, aadLow, aadLen,
                    lastInAddress + in.position(), in.remaining(), lastOutAddress + out.position(), out.remaining());
        } finally {
            Reference.reachabilityFence(this);
            Reference.reachabilityFence(in);
            Reference.reachabilityFence(out);
        }
        if (rc >= 0) {
            advance(in, out, written);
        }
        return rc;
    }

    /** One record on two direct buffers met for the first time: the C side reads their addresses. */
    private int recordOnce(boolean seal, int nonceHigh, long nonceLow, long aadHigh, long aadLow, int aadLen,
                           ByteBuffer in, ByteBuffer out, int written) {
        int rc;
        try {
            rc = AeadJni.record(ctx(), seal, nonceHigh, nonceLow, aadHigh, aadLow, aadLen,
                    in, true, in.position(), in.remaining(), out, true, out.position());
        } finally {
            Reference.reachabilityFence(this);
        }
        if (rc >= 0) {
            advance(in, out, written);
        }
        return rc;
    }

    private static long baseAddress(ByteBuffer b) {
        long a = AeadJni.address(b);
        if (a == 0) {
            throw new IllegalArgumentException("direct buffer without an address");
        }
        return a;
    }

    /** A read-only heap buffer hides its array: only then is the input copied. */
    private static ByteBuffer readable(ByteBuffer in) {
        if (in.isDirect() || in.hasArray()) {
            return in;
        }
        ByteBuffer copy = ByteBuffer.allocate(in.remaining());
        copy.put(in.duplicate()).flip();
        return copy;
    }

    private static Object ref(ByteBuffer b) {
        return b.isDirect() ? b : b.array();
    }

    private static int offset(ByteBuffer b) {
        return b.isDirect() ? b.position() : b.arrayOffset() + b.position();
    }

    private static void advance(ByteBuffer in, ByteBuffer out, int written) {
        in.position(in.limit());
        out.position(out.position() + written);
    }

    @Override
    public void close() {
        lastIn = null;
        lastOut = null;
        seenIn = null;
        seenOut = null;
        ctx = 0;
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "NativeAead[" + algorithm.displayName() + ", " + implementation + (ctx == 0 ? ", closed]" : "]");
    }
}
