package io.tlsaccel.tls.handshake;

import io.tlsaccel.crypto.kem.MlKem768;
import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.TlsAlertException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The two halves of a TLS 1.3 key exchange for one group (RFC 8446 4.2.8): the client's share
 * and how the server's answer becomes the shared secret, and the server's answer to a client
 * share. Plain groups are (EC)DHE; the hybrid groups (draft-ietf-tls-ecdhe-mlkem) put an
 * ML-KEM-768 encapsulation key (client) or ciphertext (server) beside the ECDHE share, and
 * their secret is the two secrets concatenated, in the order the group defines.
 */
final class KeyShares {
    private KeyShares() {
    }

    /** Our client share for one group; {@link #destroy()} wipes its private parts. */
    interface ClientShare {
        NamedGroup group();

        /** The key_exchange bytes of our KeyShareEntry. */
        byte[] encoded();

        /** The shared secret from the server's key_exchange; a malformed one is illegal_parameter. */
        byte[] sharedSecret(byte[] serverShare) throws TlsAlertException;

        void destroy();
    }

    /** The server's answer: its key_exchange bytes and the shared secret. */
    record ServerAnswer(byte[] encoded, byte[] sharedSecret) {
        @Override
        public String toString() {
            return "ServerAnswer[" + encoded.length + " bytes]";
        }
    }

    static ClientShare client(NamedGroup group, SecureRandom random) {
        return group.hybrid() ? new HybridClientShare(group, random) : new EcdheClientShare(group, random);
    }

    /** The server side: answers {@code clientShare} (whose length and content are checked here). */
    static ServerAnswer server(NamedGroup group, byte[] clientShare, SecureRandom random) throws TlsAlertException {
        if (!group.hybrid()) {
            KeyPair kp = group.generate(random);
            byte[] shared = group.agree(kp.getPrivate(), group.decodePublic(clientShare));
            return new ServerAnswer(group.encodePublic(kp.getPublic()), shared);
        }
        NamedGroup ec = group.classical();
        int ecLength = ec.clientShareLength();
        if (clientShare.length != MlKem768.ENCAPSULATION_KEY_LENGTH + ecLength) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER,
                    "bad " + group.jdkName() + " key share length " + clientShare.length);
        }
        boolean pqFirst = group == NamedGroup.X25519MLKEM768;
        int ekAt = pqFirst ? 0 : ecLength;
        int ecAt = pqFirst ? MlKem768.ENCAPSULATION_KEY_LENGTH : 0;
        byte[] ek = Arrays.copyOfRange(clientShare, ekAt, ekAt + MlKem768.ENCAPSULATION_KEY_LENGTH);
        MlKem768.Encapsulation kem;
        try {
            kem = MlKem768.encapsulate(ek, random); // FIPS 203 7.2 checks the key first
        } catch (MlKem768.InvalidKemInputException e) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "bad ML-KEM-768 encapsulation key", e);
        }
        ServerAnswer classic = server(ec, Arrays.copyOfRange(clientShare, ecAt, ecAt + ecLength), random);
        byte[] encoded = pqFirst ? concat(kem.ciphertext(), classic.encoded()) : concat(classic.encoded(), kem.ciphertext());
        byte[] shared = pqFirst ? concat(kem.sharedSecret(), classic.sharedSecret()) : concat(classic.sharedSecret(), kem.sharedSecret());
        wipe(kem.sharedSecret());
        wipe(classic.sharedSecret());
        return new ServerAnswer(encoded, shared);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void wipe(byte[] b) {
        Arrays.fill(b, (byte) 0);
    }

    /** x25519, secp256r1, secp384r1. */
    private static final class EcdheClientShare implements ClientShare {
        private final NamedGroup group;
        private final KeyPair keyPair;

        EcdheClientShare(NamedGroup group, SecureRandom random) {
            this.group = group;
            this.keyPair = group.generate(random);
        }

        @Override
        public NamedGroup group() {
            return group;
        }

        @Override
        public byte[] encoded() {
            return group.encodePublic(keyPair.getPublic());
        }

        @Override
        public byte[] sharedSecret(byte[] serverShare) throws TlsAlertException {
            return group.agree(keyPair.getPrivate(), group.decodePublic(serverShare));
        }

        @Override
        public void destroy() {
            java.security.PrivateKey key = keyPair.getPrivate();
            if (!key.isDestroyed()) {
                try {
                    key.destroy();
                } catch (javax.security.auth.DestroyFailedException notSupported) {
                    // the JDK's EC and XDH keys cannot be destroyed; they are garbage soon
                }
            }
        }
    }

    /** X25519MLKEM768, SecP256r1MLKEM768. */
    private static final class HybridClientShare implements ClientShare {
        private final NamedGroup group;
        private final boolean pqFirst;
        private final MlKem768.KeyPair kem;
        private final EcdheClientShare ec;

        HybridClientShare(NamedGroup group, SecureRandom random) {
            this.group = group;
            this.pqFirst = group == NamedGroup.X25519MLKEM768;
            this.kem = MlKem768.generate(random);
            this.ec = new EcdheClientShare(group.classical(), random);
        }

        @Override
        public NamedGroup group() {
            return group;
        }

        @Override
        public byte[] encoded() {
            return pqFirst ? concat(kem.encapsulationKey(), ec.encoded()) : concat(ec.encoded(), kem.encapsulationKey());
        }

        @Override
        public byte[] sharedSecret(byte[] serverShare) throws TlsAlertException {
            int ecLength = group.classical().clientShareLength();
            if (serverShare.length != MlKem768.CIPHERTEXT_LENGTH + ecLength) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER,
                        "bad " + group.jdkName() + " server share length " + serverShare.length);
            }
            int ctAt = pqFirst ? 0 : ecLength;
            int ecAt = pqFirst ? MlKem768.CIPHERTEXT_LENGTH : 0;
            byte[] kemSecret;
            try {
                kemSecret = kem.decapsulate(Arrays.copyOfRange(serverShare, ctAt, ctAt + MlKem768.CIPHERTEXT_LENGTH));
            } catch (MlKem768.InvalidKemInputException e) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "bad ML-KEM-768 ciphertext", e);
            }
            byte[] ecSecret = ec.sharedSecret(Arrays.copyOfRange(serverShare, ecAt, ecAt + ecLength));
            byte[] out = pqFirst ? concat(kemSecret, ecSecret) : concat(ecSecret, kemSecret);
            wipe(kemSecret);
            wipe(ecSecret);
            return out;
        }

        @Override
        public void destroy() {
            try {
                kem.destroy();
            } catch (javax.security.auth.DestroyFailedException ignored) {
                // an implementation that cannot wipe its key: nothing more to do here
            }
            ec.destroy();
        }
    }
}
