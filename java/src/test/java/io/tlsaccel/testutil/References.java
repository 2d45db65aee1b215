package io.tlsaccel.testutil;

import io.tlsaccel.crypto.AeadAlgorithm;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/** The reference implementations every path is compared with: SunJCE and Bouncy Castle. */
public final class References {

    private References() {
    }

    /** SunJCE seal: ciphertext || tag. */
    public static byte[] jdkSeal(AeadAlgorithm a, byte[] key, byte[] nonce, byte[] aad, byte[] msg)
            throws GeneralSecurityException {
        Cipher c;
        if (a == AeadAlgorithm.CHACHA20_POLY1305) {
            c = Cipher.getInstance("ChaCha20-Poly1305", "SunJCE");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        } else {
            c = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        }
        c.updateAAD(aad);
        return c.doFinal(msg);
    }

    /** Bouncy Castle lightweight API seal: ciphertext || tag. */
    public static byte[] bcSeal(AeadAlgorithm a, byte[] key, byte[] nonce, byte[] aad, byte[] msg) {
        AEADCipher c = a == AeadAlgorithm.CHACHA20_POLY1305
                ? new ChaCha20Poly1305() : GCMBlockCipher.newInstance(AESEngine.newInstance());
        c.init(true, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
        byte[] out = new byte[c.getOutputSize(msg.length)];
        int n = c.processBytes(msg, 0, msg.length, out, 0);
        try {
            c.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new AssertionError(e);
        }
        return out;
    }
}
