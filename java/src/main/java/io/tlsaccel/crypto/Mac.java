package io.tlsaccel.crypto;

import java.nio.ByteBuffer;

/** One MAC key; update any number of times, then {@link #doFinal}, which also resets. */
public interface Mac extends AutoCloseable {

    MacAlgorithm algorithm();

    /** Which implementation runs, e.g. {@code native/shani} or {@code java/jdk}. */
    String implementation();

    default int macLength() {
        return algorithm().macLength();
    }

    void update(byte[] in, int off, int len);

    /** Consumes {@code in.remaining()} bytes; the position advances. */
    void update(ByteBuffer in);

    /**
     * Writes the MAC at {@code out[off..]} and resets for the next message. Too little room
     * is an {@link IndexOutOfBoundsException}, and nothing is written.
     */
    void doFinal(byte[] out, int off);

    default byte[] doFinal() {
        byte[] out = new byte[macLength()];
        doFinal(out, 0);
        return out;
    }

    void reset();

    /** Zeroes and frees the key. Idempotent. */
    @Override
    void close();
}
