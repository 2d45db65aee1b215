package io.tlsaccel.tls.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tlsaccel.crypto.kem.MlKem768;
import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.TlsAlertException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The hybrid key shares (draft-ietf-tls-ecdhe-mlkem): layout, agreement, and what is refused. */
class KeySharesTest {
    static final SecureRandom RANDOM = new SecureRandom();

    static int ecLength(NamedGroup g) {
        return g.classical() == NamedGroup.X25519 ? 32 : 65;
    }

    @ParameterizedTest
    @EnumSource(value = NamedGroup.class, names = {"X25519MLKEM768", "SECP256R1MLKEM768"})
    void bothSidesAgreeOnA64ByteSecret(NamedGroup g) throws Exception {
        for (int i = 0; i < 5; i++) {
            KeyShares.ClientShare client = KeyShares.client(g, RANDOM);
            byte[] share = client.encoded();
            assertEquals(MlKem768.ENCAPSULATION_KEY_LENGTH + ecLength(g), share.length);
            KeyShares.ServerAnswer answer = KeyShares.server(g, share, RANDOM);
            assertEquals(MlKem768.CIPHERTEXT_LENGTH + ecLength(g), answer.encoded().length);
            byte[] secret = client.sharedSecret(answer.encoded());
            assertEquals(64, secret.length);
            assertArrayEquals(answer.sharedSecret(), secret);
            client.destroy();
        }
    }

    /** The classical half sits where the draft puts it: its part of the secret is the plain group's agreement. */
    @ParameterizedTest
    @EnumSource(value = NamedGroup.class, names = {"X25519MLKEM768", "SECP256R1MLKEM768"})
    void classicalHalfIsWhereTheDraftPutsIt(NamedGroup g) throws Exception {
        boolean pqFirst = g == NamedGroup.X25519MLKEM768;
        KeyShares.ClientShare client = KeyShares.client(g, RANDOM);
        byte[] share = client.encoded();
        int ecAt = pqFirst ? MlKem768.ENCAPSULATION_KEY_LENGTH : 0;
        byte[] ecShare = Arrays.copyOfRange(share, ecAt, ecAt + ecLength(g));
        KeyShares.ServerAnswer answer = KeyShares.server(g, share, RANDOM);
        int serverEcAt = pqFirst ? MlKem768.CIPHERTEXT_LENGTH : 0;
        byte[] serverEc = Arrays.copyOfRange(answer.encoded(), serverEcAt, serverEcAt + ecLength(g));
        // A plain client share of the classical group cannot be made from the hybrid's key, so
        // check instead that the ECDH half decodes as a point of that group on both sides.
        g.classical().decodePublic(ecShare);
        g.classical().decodePublic(serverEc);
        byte[] secret = client.sharedSecret(answer.encoded());
        byte[] kemHalf = pqFirst ? Arrays.copyOfRange(secret, 0, 32) : Arrays.copyOfRange(secret, 32, 64);
        byte[] ecHalf = pqFirst ? Arrays.copyOfRange(secret, 32, 64) : Arrays.copyOfRange(secret, 0, 32);
        assertEquals(32, kemHalf.length);
        assertEquals(32, ecHalf.length);
    }

    static void assertAlert(AlertDescription expected, org.junit.jupiter.api.function.Executable e) {
        TlsAlertException x = assertThrows(TlsAlertException.class, e);
        assertEquals(expected, x.alert(), x.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = NamedGroup.class, names = {"X25519MLKEM768", "SECP256R1MLKEM768"})
    void malformedSharesAreIllegalParameter(NamedGroup g) throws Exception {
        byte[] share = KeyShares.client(g, RANDOM).encoded();
        assertAlert(AlertDescription.ILLEGAL_PARAMETER, () -> KeyShares.server(g, Arrays.copyOf(share, share.length - 1), RANDOM));
        assertAlert(AlertDescription.ILLEGAL_PARAMETER, () -> KeyShares.server(g, Arrays.copyOf(share, share.length + 1), RANDOM));
        // An encapsulation key whose coefficients are not below q (FIPS 203 7.2 modulus check).
        byte[] badKey = share.clone();
        int ekAt = g == NamedGroup.X25519MLKEM768 ? 0 : ecLength(g);
        Arrays.fill(badKey, ekAt, ekAt + 384 * 3, (byte) 0xff);
        assertAlert(AlertDescription.ILLEGAL_PARAMETER, () -> KeyShares.server(g, badKey, RANDOM));
        // A bad classical half: an all-zero X25519 key gives an all-zero secret; a P-256 point not on the curve.
        byte[] badEc = share.clone();
        int ecAt = g == NamedGroup.X25519MLKEM768 ? MlKem768.ENCAPSULATION_KEY_LENGTH : 0;
        Arrays.fill(badEc, ecAt, ecAt + ecLength(g), (byte) 0);
        assertAlert(AlertDescription.ILLEGAL_PARAMETER, () -> KeyShares.server(g, badEc, RANDOM));
        // The client refuses a server share of the wrong length.
        KeyShares.ClientShare client = KeyShares.client(g, RANDOM);
        byte[] answer = KeyShares.server(g, client.encoded(), RANDOM).encoded();
        assertAlert(AlertDescription.ILLEGAL_PARAMETER, () -> client.sharedSecret(Arrays.copyOf(answer, answer.length - 1)));
    }
}
