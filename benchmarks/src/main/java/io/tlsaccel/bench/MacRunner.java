package io.tlsaccel.bench;

import io.tlsaccel.crypto.Mac;
import io.tlsaccel.crypto.MacAlgorithm;
import java.security.Provider;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/** One way of computing a whole HMAC with one key: {@code in[0..len)} in, the MAC into {@code out}. */
interface MacRunner extends AutoCloseable {

    int mac(byte[] in, int len, byte[] out) throws Exception;

    @Override
    default void close() {
    }

    /** Our engine's {@link Mac} (native JNI or the Java fallback). */
    static MacRunner of(Mac mac) {
        return new MacRunner() {
            @Override
            public int mac(byte[] in, int len, byte[] out) {
                mac.update(in, 0, len);
                mac.doFinal(out, 0);
                return mac.macLength();
            }

            @Override
            public void close() {
                mac.close();
            }
        };
    }

    /** A JCA provider's Mac, keyed once; update + doFinal per op. */
    static MacRunner jca(MacAlgorithm alg, byte[] key, Provider provider) throws Exception {
        javax.crypto.Mac m;
        try {
            m = javax.crypto.Mac.getInstance(alg.jcaName(), provider);
        } catch (Exception e) {
            throw new Fixtures.Unavailable(provider.getName() + " has no " + alg.jcaName() + ": " + e);
        }
        m.init(new SecretKeySpec(key, alg.jcaName()));
        return (in, len, out) -> {
            m.update(in, 0, len);
            m.doFinal(out, 0);
            return m.getMacLength();
        };
    }

    /** Bouncy Castle's lightweight HMac over SHA256Digest / SHA384Digest. */
    static MacRunner bouncyCastle(MacAlgorithm alg, byte[] key) {
        HMac h = new HMac(alg == MacAlgorithm.HMAC_SHA256 ? new SHA256Digest() : new SHA384Digest());
        h.init(new KeyParameter(key));
        return (in, len, out) -> {
            h.update(in, 0, len);
            return h.doFinal(out, 0);
        };
    }
}
