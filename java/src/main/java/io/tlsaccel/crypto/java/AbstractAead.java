package io.tlsaccel.crypto.java;

import io.tlsaccel.crypto.Aead;
import io.tlsaccel.crypto.AeadAlgorithm;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;

/**
 * Argument checking, buffer handling and the record forms shared by the pure-Java AEADs.
 *
 * <p>Subclasses implement one message as a stream: {@link #start}, {@link #aad} once,
 * {@link #encrypt} or {@link #decrypt} any number of times (every call but the last with a
 * length that is a multiple of {@link #CHUNK}), then {@link #finish}. Everything is validated
 * here before any of that runs, so the cores never see bad arguments.
 *
 * <p>Conventions shared with the native backend: a null {@code aad} means no AAD (it is an
 * error only with a non-zero {@code aadLen}); open input shorter than the tag is an
 * {@link IllegalArgumentException}; same-array regions must be identical or disjoint.
 */
abstract class AbstractAead implements Aead {

    static final int TAG_LEN = AeadAlgorithm.TAG_LENGTH;
    static final int NONCE_LEN = AeadAlgorithm.NONCE_LENGTH;

    /** Direct buffers go through the scratch array this many bytes at a time (a multiple of 64). */
    static final int CHUNK = 2048;

    static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final AeadAlgorithm algorithm;
    private final String implementation;
    private boolean closed;

    private static final byte[] NO_AAD = new byte[0];

    // Per-instance work areas, so that no call allocates.
    private final byte[] scratch = new byte[CHUNK];
    private final byte[] computedTag = new byte[TAG_LEN];
    private final byte[] receivedTag = new byte[TAG_LEN];
    private final byte[] recordAad = new byte[16];

    AbstractAead(AeadAlgorithm algorithm, String implementation) {
        this.algorithm = algorithm;
        this.implementation = implementation;
    }

    // ---- the message core, implemented per algorithm ----

    /** Begins a message; the nonce is given as three big-endian words. */
    abstract void start(int n0, int n1, int n2);

    /** Authenticates the whole AAD; called exactly once per message, before any data. */
    abstract void aad(byte[] a, int off, int len);

    /** Encrypts; {@code in} and {@code out} are either disjoint or the same region. */
    abstract void encrypt(byte[] in, int inOff, byte[] out, int outOff, int len);

    /** Decrypts (authenticating the ciphertext before it may be overwritten in place). */
    abstract void decrypt(byte[] in, int inOff, byte[] out, int outOff, int len);

    /** Writes the 16-byte tag of the message. */
    abstract void finish(byte[] tag, int off);

    /** Zeroes all key-dependent state. */
    abstract void wipe();

    // ---- Aead ----

    @Override
    public final AeadAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public final String implementation() {
        return implementation;
    }

    @Override
    public final int seal(byte[] nonce, byte[] aad, int aadOff, int aadLen,
                          byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        ensureOpen();
        checkArrays(nonce, aad, aadOff, aadLen, in, inOff, inLen, out, outOff);
        checkOutput(out.length - outOff, inLen + (long) TAG_LEN);
        checkOverlap(in, inOff, inLen, out, outOff, inLen + TAG_LEN);
        aad = aad == null ? NO_AAD : aad;

        startNonce(nonce);
        aad(aad, aadOff, aadLen);
        encrypt(in, inOff, out, outOff, inLen);
        finish(out, outOff + inLen);
        return inLen + TAG_LEN;
    }

    @Override
    public final int open(byte[] nonce, byte[] aad, int aadOff, int aadLen,
                          byte[] in, int inOff, int inLen, byte[] out, int outOff) throws AEADBadTagException {
        ensureOpen();
        checkArrays(nonce, aad, aadOff, aadLen, in, inOff, inLen, out, outOff);
        int ctLen = checkTagPresent(inLen);
        checkOutput(out.length - outOff, ctLen);
        checkOverlap(in, inOff, inLen, out, outOff, ctLen);
        aad = aad == null ? NO_AAD : aad;

        // Copy the tag first: in place, nothing overwrites it, but this keeps that obvious.
        System.arraycopy(in, inOff + ctLen, receivedTag, 0, TAG_LEN);
        startNonce(nonce);
        aad(aad, aadOff, aadLen);
        decrypt(in, inOff, out, outOff, ctLen);
        finish(computedTag, 0);
        if (!tagsEqual()) {
            Arrays.fill(out, outOff, outOff + ctLen, (byte) 0);
            throw new AEADBadTagException("Tag mismatch");
        }
        return ctLen;
    }

    @Override
    public final int seal(byte[] nonce, byte[] aad, ByteBuffer in, ByteBuffer out) {
        ensureOpen();
        Objects.requireNonNull(nonce, "nonce");
        checkBuffers(in, out);
        checkNonce(nonce);
        aad = aad == null ? NO_AAD : aad;
        int len = in.remaining();
        checkOutput(out.remaining(), len + (long) TAG_LEN);
        checkOverlap(in, out, len + TAG_LEN);

        startNonce(nonce);
        aad(aad, 0, aad.length);
        return sealBuffers(in, out, len);
    }

    @Override
    public final int open(byte[] nonce, byte[] aad, ByteBuffer in, ByteBuffer out) throws AEADBadTagException {
        ensureOpen();
        Objects.requireNonNull(nonce, "nonce");
        checkBuffers(in, out);
        checkNonce(nonce);
        aad = aad == null ? NO_AAD : aad;
        int ctLen = checkTagPresent(in.remaining());
        checkOutput(out.remaining(), ctLen);
        checkOverlap(in, out, ctLen);

        startNonce(nonce);
        aad(aad, 0, aad.length);
        return openBuffers(in, out, ctLen);
    }

    @Override
    public final int sealRecord(int nonceHigh, long nonceLow, long aadHigh, long aadLow, int aadLen,
                                ByteBuffer in, ByteBuffer out) {
        ensureOpen();
        checkBuffers(in, out);
        checkRecordAad(aadLen);
        int len = in.remaining();
        checkOutput(out.remaining(), len + (long) TAG_LEN);
        checkOverlap(in, out, len + TAG_LEN);

        start(nonceHigh, (int) (nonceLow >>> 32), (int) nonceLow);
        recordAad(aadHigh, aadLow, aadLen);
        return sealBuffers(in, out, len);
    }

    @Override
    public final int openRecord(int nonceHigh, long nonceLow, long aadHigh, long aadLow, int aadLen,
                                ByteBuffer in, ByteBuffer out) throws AEADBadTagException {
        ensureOpen();
        checkBuffers(in, out);
        checkRecordAad(aadLen);
        int ctLen = checkTagPresent(in.remaining());
        checkOutput(out.remaining(), ctLen);
        checkOverlap(in, out, ctLen);

        start(nonceHigh, (int) (nonceLow >>> 32), (int) nonceLow);
        recordAad(aadHigh, aadLow, aadLen);
        return openBuffers(in, out, ctLen);
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            wipe();
            Arrays.fill(scratch, (byte) 0);
            Arrays.fill(computedTag, (byte) 0);
            Arrays.fill(receivedTag, (byte) 0);
            Arrays.fill(recordAad, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + algorithm.displayName() + ", " + implementation
                + (closed ? ", closed]" : "]");
    }

    // ---- buffers ----

    private int sealBuffers(ByteBuffer in, ByteBuffer out, int len) {
        int inPos = in.position();
        int outPos = out.position();
        if (in.hasArray() && out.hasArray()) {
            byte[] o = out.array();
            int oOff = out.arrayOffset() + outPos;
            encrypt(in.array(), in.arrayOffset() + inPos, o, oOff, len);
            finish(o, oOff + len);
        } else {
            // At least one side is direct or read-only: stream through the scratch array.
            // Reading a chunk before writing it keeps in-place (same memory) correct.
            for (int done = 0; done < len; ) {
                int n = Math.min(CHUNK, len - done);
                in.get(inPos + done, scratch, 0, n);
                encrypt(scratch, 0, scratch, 0, n);
                out.put(outPos + done, scratch, 0, n);
                done += n;
            }
            finish(computedTag, 0);
            out.put(outPos + len, computedTag, 0, TAG_LEN);
        }
        in.position(inPos + len);
        out.position(outPos + len + TAG_LEN);
        return len + TAG_LEN;
    }

    private int openBuffers(ByteBuffer in, ByteBuffer out, int ctLen) throws AEADBadTagException {
        int inPos = in.position();
        int outPos = out.position();
        in.get(inPos + ctLen, receivedTag, 0, TAG_LEN);
        if (in.hasArray() && out.hasArray()) {
            decrypt(in.array(), in.arrayOffset() + inPos, out.array(), out.arrayOffset() + outPos, ctLen);
        } else {
            for (int done = 0; done < ctLen; ) {
                int n = Math.min(CHUNK, ctLen - done);
                in.get(inPos + done, scratch, 0, n);
                decrypt(scratch, 0, scratch, 0, n);
                out.put(outPos + done, scratch, 0, n);
                done += n;
            }
        }
        finish(computedTag, 0);
        if (!tagsEqual()) {
            zero(out, outPos, ctLen);
            throw new AEADBadTagException("Tag mismatch");
        }
        in.position(inPos + ctLen + TAG_LEN);
        out.position(outPos + ctLen);
        return ctLen;
    }

    private void zero(ByteBuffer out, int pos, int len) {
        if (out.hasArray()) {
            int off = out.arrayOffset() + pos;
            Arrays.fill(out.array(), off, off + len, (byte) 0);
        } else {
            Arrays.fill(scratch, (byte) 0);
            for (int done = 0; done < len; done += CHUNK) {
                out.put(pos + done, scratch, 0, Math.min(CHUNK, len - done));
            }
        }
    }

    // ---- helpers ----

    private void startNonce(byte[] nonce) {
        start((int) INT_BE.get(nonce, 0), (int) INT_BE.get(nonce, 4), (int) INT_BE.get(nonce, 8));
    }

    private void recordAad(long aadHigh, long aadLow, int aadLen) {
        LONG_BE.set(recordAad, 0, aadHigh);
        LONG_BE.set(recordAad, 8, aadLow);
        aad(recordAad, 0, aadLen);
    }

    /** Constant time: the time does not depend on where the tags differ. */
    private boolean tagsEqual() {
        int diff = 0;
        for (int i = 0; i < TAG_LEN; i++) {
            diff |= computedTag[i] ^ receivedTag[i];
        }
        return diff == 0;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("AEAD context is closed");
        }
    }

    private static void checkNonce(byte[] nonce) {
        if (nonce.length != NONCE_LEN) {
            throw new IllegalArgumentException("nonce must be " + NONCE_LEN + " bytes, not " + nonce.length);
        }
    }

    private static void checkArrays(byte[] nonce, byte[] aad, int aadOff, int aadLen,
                                    byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        Objects.requireNonNull(nonce, "nonce");
        if (aad == null && aadLen != 0) {
            throw new NullPointerException("aad is null but aadLen is " + aadLen);
        }
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        checkNonce(nonce);
        Objects.checkFromIndexSize(aadOff, aadLen, aad == null ? 0 : aad.length);
        Objects.checkFromIndexSize(inOff, inLen, in.length);
        Objects.checkFromIndexSize(outOff, 0, out.length);
    }

    private static void checkBuffers(ByteBuffer in, ByteBuffer out) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        if (out.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
    }

    private static void checkRecordAad(int aadLen) {
        if (aadLen < 0 || aadLen > 16) {
            throw new IllegalArgumentException("record AAD length must be 0..16, not " + aadLen);
        }
    }

    private static void checkOutput(long available, long needed) {
        if (available < needed) {
            throw new IllegalArgumentException("output too short: " + needed + " bytes needed, " + available + " available");
        }
    }

    /** Open needs at least the tag; the record layer checks record lengths before this. */
    private static int checkTagPresent(int inLen) {
        if (inLen < TAG_LEN) {
            throw new IllegalArgumentException("input of " + inLen + " bytes is shorter than the "
                    + TAG_LEN + "-byte tag");
        }
        return inLen - TAG_LEN;
    }

    /** Same array: allowed if the regions are identical (in place) or disjoint. */
    private static void checkOverlap(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) {
        if (in == out && inOff != outOff && inOff < outOff + outLen && outOff < inOff + inLen) {
            throw new IllegalArgumentException("in and out overlap without being the same region");
        }
    }

    private static void checkOverlap(ByteBuffer in, ByteBuffer out, int outLen) {
        if (in == out) {
            // One position cannot advance by both the input and the output length.
            throw new IllegalArgumentException("in and out are the same ByteBuffer; for in place pass a duplicate()");
        }
        if (in.hasArray() && out.hasArray()) {
            checkOverlap(in.array(), in.arrayOffset() + in.position(), in.remaining(),
                    out.array(), out.arrayOffset() + out.position(), outLen);
        }
        // Direct buffers expose no address; overlapping them is the caller's contract.
    }
}
