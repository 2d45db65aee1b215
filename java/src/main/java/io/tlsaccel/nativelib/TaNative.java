package io.tlsaccel.nativelib;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * JNA direct mapping of the C ABI ({@code native/include/tlsaccel.h}): the control plane
 * (features, version, implementations, self-test) and a second data-plane binding that
 * only the benchmarks use. Registered by {@link NativeLoader} once the library is loaded;
 * call nothing here unless {@link NativeLoader#status()} says it loaded.
 */
public final class TaNative {

    private TaNative() {
    }

    public static native int ta_cpu_features();

    public static native int ta_cpu_features_detected();

    public static native String ta_cpu_feature_name(int bit);

    public static native String ta_version();

    public static native int ta_abi_version();

    public static native int ta_aead_impl_count(int alg);

    public static native String ta_aead_impl_name(int alg, int index);

    public static native int ta_aead_impl_usable(int alg, int index);

    public static native int ta_aead_impl_best(int alg);

    public static native int ta_mac_impl_count(int alg);

    public static native String ta_mac_impl_name(int alg, int index);

    public static native int ta_mac_impl_usable(int alg, int index);

    public static native int ta_mac_impl_best(int alg);

    public static native int ta_x25519_impl_count();

    public static native String ta_x25519_impl_name(int index);

    public static native int ta_x25519_impl_usable(int index);

    public static native int ta_x25519_impl_best();

    public static native long ta_live_contexts();

    public static native int ta_self_test(PointerByReference failed);

    public static native int ta_aead_new(PointerByReference out, int alg, int impl, byte[] key, long keyLen);

    public static native void ta_aead_free(Pointer ctx);

    public static native int ta_aead_seal(Pointer ctx, byte[] nonce, byte[] aad, long aadLen,
                                          byte[] in, long len, byte[] out);

    public static native int ta_aead_open(Pointer ctx, byte[] nonce, byte[] aad, long aadLen,
                                          byte[] in, long inLen, byte[] out);
}
