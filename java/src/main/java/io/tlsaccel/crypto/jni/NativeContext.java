package io.tlsaccel.crypto.jni;

import java.util.function.LongConsumer;

/**
 * The Cleaner's half of a native object: frees (and so zeroes) the C context exactly once,
 * whether the owner closes it or forgets it. Holds no reference to the owner.
 */
final class NativeContext implements Runnable {

    private final LongConsumer free;
    private long handle;

    NativeContext(long handle, LongConsumer free) {
        this.handle = handle;
        this.free = free;
    }

    @Override
    public synchronized void run() {
        long h = handle;
        handle = 0;
        if (h != 0) {
            free.accept(h);
        }
    }
}
