package io.tlsaccel.crypto.jni;

import io.tlsaccel.crypto.Mac;
import io.tlsaccel.crypto.MacAlgorithm;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Objects;

/** A {@link Mac} whose key (as precomputed inner and outer states) lives in native memory. */
final class NativeMac implements Mac {

    private static final Cleaner CLEANER = Cleaner.create();

    private final MacAlgorithm algorithm;
    private final String implementation;
    private final Cleaner.Cleanable cleanable;
    private long ctx;

    NativeMac(MacAlgorithm algorithm, int impl, String implementation, byte[] key, int keyOff, int keyLen) {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(key, "key");
        Objects.checkFromIndexSize(keyOff, keyLen, key.length);
        long handle = MacJni.create(algorithm.nativeId(), impl, key, keyOff, keyLen);
        if (handle <= 0) {
            throw NativeResults.failure(handle);
        }
        this.algorithm = algorithm;
        this.implementation = implementation;
        this.ctx = handle;
        this.cleanable = CLEANER.register(this, new NativeContext(handle, MacJni::free));
    }

    @Override
    public MacAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public String implementation() {
        return implementation;
    }

    private long ctx() {
        long c = ctx;
        if (c == 0) {
            throw new IllegalStateException("MAC context is closed");
        }
        return c;
    }

    @Override
    public void update(byte[] in, int off, int len) {
        Objects.requireNonNull(in, "in");
        Objects.checkFromIndexSize(off, len, in.length);
        try {
            NativeResults.check(MacJni.update(ctx(), in, false, off, len));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public void update(ByteBuffer in) {
        Objects.requireNonNull(in, "in");
        int len = in.remaining();
        try {
            if (in.isDirect()) {
                NativeResults.check(MacJni.update(ctx(), in, true, in.position(), len));
            } else if (in.hasArray()) {
                NativeResults.check(MacJni.update(ctx(), in.array(), false, in.arrayOffset() + in.position(), len));
            } else {
                byte[] copy = new byte[len];
                in.duplicate().get(copy);
                NativeResults.check(MacJni.update(ctx(), copy, false, 0, len));
            }
        } finally {
            Reference.reachabilityFence(this);
        }
        in.position(in.limit());
    }

    @Override
    public void doFinal(byte[] out, int off) {
        Objects.requireNonNull(out, "out");
        Objects.checkFromIndexSize(off, macLength(), out.length);
        try {
            NativeResults.check(MacJni.doFinal(ctx(), out, off));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public void reset() {
        try {
            MacJni.reset(ctx());
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public void close() {
        ctx = 0;
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "NativeMac[" + algorithm.jcaName() + ", " + implementation + (ctx == 0 ? ", closed]" : "]");
    }
}
