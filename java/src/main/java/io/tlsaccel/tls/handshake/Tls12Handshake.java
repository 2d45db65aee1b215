package io.tlsaccel.tls.handshake;

import static io.tlsaccel.tls.handshake.HandshakeSupport.unexpected;
import static io.tlsaccel.tls.handshake.HandshakeSupport.wipe;

import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.Finished;
import io.tlsaccel.tls.message.HandshakeType;
import io.tlsaccel.tls.message.TlsAlertException;
import io.tlsaccel.tls.message.TlsReader;
import io.tlsaccel.tls.record.Tls12CipherSuite;
import io.tlsaccel.tls.session.ResumptionState;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.List;

/**
 * What the TLS 1.2 client and server (RFC 5246 7.3) share: the handshake messages so far
 * (kept whole, because a TLS 1.2 CertificateVerify signs the messages themselves, 7.4.8), the
 * master secret (extended, RFC 7627, unless the user relaxed it), the key block, Finished
 * (7.4.9), ChangeCipherSpec as a state of its own, and the refusal of renegotiation.
 *
 * <p>Renegotiation is never done: a HelloRequest (client) or a ClientHello after the
 * handshake (server) is answered with a fatal handshake_failure, which RFC 5246 7.2.2 allows
 * in place of the no_renegotiation warning and which leaves no half-renegotiated state behind.
 */
public abstract class Tls12Handshake implements TlsHandshake {
    /** TLS 1.2 (RFC 5246 6.2.1). */
    public static final int TLS12 = 0x0303;
    /** How many HelloRequests a client ignores during one handshake before it calls them unexpected. */
    static final int MAX_IGNORED_HELLO_REQUESTS = 8;
    /** RFC 7627 is required unless this property says "false". */
    public static final String REQUIRE_EMS_PROPERTY = "tlsaccel.tls12.requireExtendedMasterSecret";

    /**
     * One state per awaited message, holding what its step needs; ChangeCipherSpec is
     * unexpected except where a state says so. The states of each side are sealed in its class.
     */
    protected sealed interface State permits Tls12ClientHandshake.ClientState, Tls12ServerHandshake.ServerState,
            ExpectChangeCipherSpec, Traffic {
        State handle(int type, byte[] message, TlsReader body) throws TlsAlertException;

        default State changeCipherSpec() throws TlsAlertException {
            throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "unexpected change_cipher_spec");
        }
    }

    protected final HandshakeContext ctx;
    protected final HandshakeConfig config;
    private final ByteArrayOutputStream messages = new ByteArrayOutputStream();
    protected Tls12CipherSuite suite;
    protected Tls12Prf prf;
    protected byte[] clientRandom;
    protected byte[] serverRandom;
    protected boolean extendedMasterSecret;
    protected Tls12Prf.Secret masterSecret;
    private Tls12Prf.KeyBlock keyBlock;
    protected State state;
    private boolean complete;
    /** HelloRequests ignored so far in this handshake (at most {@link #MAX_IGNORED_HELLO_REQUESTS}). */
    private int ignoredHelloRequests;

    protected Tls12Handshake(HandshakeContext ctx) {
        this.ctx = ctx;
        this.config = ctx.config();
    }

    protected abstract boolean isClient();

    static boolean extendedMasterSecretRequired() {
        return !"false".equalsIgnoreCase(System.getProperty(REQUIRE_EMS_PROPERTY));
    }

    /** ec_point_formats (RFC 8422 5.1.2): the peer's list must include uncompressed (0). */
    static void checkPointFormats(byte[] data, String peer) throws TlsAlertException {
        TlsReader r = new TlsReader(data);
        byte[] formats = r.u8PrefixedBytes();
        r.expectEnd();
        for (byte f : formats) {
            if (f == 0) {
                return;
            }
        }
        throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, peer + " does not accept uncompressed points");
    }

    @Override
    public final int version() {
        return TLS12;
    }

    @Override
    public final void handle(byte[] message) throws TlsAlertException {
        int type = message[0] & 0xff;
        TlsReader body = new TlsReader(message, 4, message.length - 4);
        if (state == null) {
            throw unexpected(type);
        }
        if (type == HandshakeType.HELLO_REQUEST && isClient() && !complete) {
            // RFC 5246 7.4.1.1: ignored while negotiating, and never part of the transcript; a
            // server has no reason to send more than one, so a stream of them is refused.
            body.expectEnd();
            if (++ignoredHelloRequests > MAX_IGNORED_HELLO_REQUESTS) {
                throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "too many HelloRequests during the handshake");
            }
            return;
        }
        state = state.handle(type, message, body);
    }

    @Override
    public final void changeCipherSpec() throws TlsAlertException {
        if (state == null) {
            throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "unexpected change_cipher_spec");
        }
        state = state.changeCipherSpec();
    }

    @Override
    public final boolean isComplete() {
        return complete;
    }

    /** No renegotiation, no key update in TLS 1.2: nothing to send. */
    @Override
    public final void sendKeyUpdate(boolean requestPeerUpdate) {
    }

    // ---- transcript ----

    /** Adds a message to handshake_messages (RFC 5246 7.4.8, 7.4.9). */
    protected final void updateTranscript(byte[] message) {
        messages.write(message, 0, message.length);
    }

    /** Sends a message and adds it to the transcript. */
    protected final void send(byte[] message) {
        updateTranscript(message);
        ctx.sendHandshake(message);
    }

    /** Every handshake message so far, as a CertificateVerify signs them (7.4.8). */
    protected final byte[] transcriptBytes() {
        return messages.toByteArray();
    }

    /** Hash(handshake_messages) with the PRF hash of the suite. */
    protected final byte[] transcriptHash() {
        try {
            MessageDigest md = MessageDigest.getInstance(prf.hash().digestName());
            return md.digest(messages.toByteArray());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    protected final void selectSuite(Tls12CipherSuite s) {
        suite = s;
        prf = new Tls12Prf(s.prfHash());
        ctx.negotiated12(s);
    }

    // ---- secrets ----

    /**
     * The master secret from the pre-master secret (which is wiped), called right after
     * ClientKeyExchange entered the transcript: RFC 7627 4 (session_hash = the transcript hash
     * up to and including ClientKeyExchange) or RFC 5246 8.1.
     */
    protected final void deriveMasterSecret(byte[] preMasterSecret) {
        try {
            if (extendedMasterSecret) {
                masterSecret = prf.extendedMasterSecret(preMasterSecret, transcriptHash());
                ctx.trace("master secret derived (extended, RFC 7627)");
            } else {
                masterSecret = prf.masterSecret(preMasterSecret, clientRandom, serverRandom);
                ctx.trace("master secret derived (not extended)");
            }
        } finally {
            wipe(preMasterSecret);
        }
        // RFC 5246 6.3.
        keyBlock = prf.keyBlock(masterSecret, clientRandom, serverRandom, suite.aead());
    }

    /** Abbreviated handshake (RFC 5246 7.3): the resumed session's master secret, a key block from the new randoms. */
    protected final void resumeMasterSecret(byte[] master) {
        masterSecret = new Tls12Prf.Secret(master.clone());
        keyBlock = prf.keyBlock(masterSecret, clientRandom, serverRandom, suite.aead());
        ctx.trace("resuming the session: master secret from the earlier handshake");
    }

    /**
     * What a later connection needs to resume this session, or null: only sessions with the
     * extended master secret are ever resumed (RFC 7627 5.3).
     */
    protected final ResumptionState resumptionState(long lifetimeSeconds, String serverName, byte[] sessionId,
                                                    List<byte[]> peerChain) {
        if (!extendedMasterSecret || masterSecret == null) {
            return null;
        }
        return new ResumptionState(TLS12, suite.id(), masterSecret.copy(), System.currentTimeMillis(), lifetimeSeconds, 0,
                serverName, sessionId, peerChain);
    }

    /** ChangeCipherSpec sent: our records from here on use our write key (RFC 5246 7.1). */
    protected final void sendChangeCipherSpecAndSwitch() {
        ctx.sendChangeCipherSpec();
        if (isClient()) {
            ctx.changeWriteKeys12(suite.aead(), keyBlock.clientWriteKey(), keyBlock.clientWriteIv());
        } else {
            ctx.changeWriteKeys12(suite.aead(), keyBlock.serverWriteKey(), keyBlock.serverWriteIv());
        }
    }

    /** The peer's ChangeCipherSpec: read with its write key from the next record on. */
    protected final void switchReadKeys() throws TlsAlertException {
        if (isClient()) {
            ctx.changeReadKeys12(suite.aead(), keyBlock.serverWriteKey(), keyBlock.serverWriteIv());
        } else {
            ctx.changeReadKeys12(suite.aead(), keyBlock.clientWriteKey(), keyBlock.clientWriteIv());
        }
    }

    /** Awaiting the peer's ChangeCipherSpec; a handshake message here is unexpected. */
    protected final class ExpectChangeCipherSpec implements State {
        private final State next;

        ExpectChangeCipherSpec(State next) {
            this.next = next;
        }

        @Override
        public State handle(int type, byte[] message, TlsReader body) throws TlsAlertException {
            throw unexpected(type);
        }

        @Override
        public State changeCipherSpec() throws TlsAlertException {
            switchReadKeys();
            return next;
        }
    }

    /** Sends our Finished (RFC 5246 7.4.9) over the transcript so far. */
    protected final void sendFinished() {
        byte[] verify = prf.verifyData(masterSecret, isClient(), transcriptHash());
        send(new Finished(verify).encode());
        wipe(verify);
    }

    /** Checks the peer's Finished in constant time; a mismatch is decrypt_error (7.4.9). */
    protected final void checkFinished(byte[] message, TlsReader body) throws TlsAlertException {
        Finished fin = Finished.decode(body, Tls12Prf.VERIFY_DATA_LENGTH);
        byte[] expected = prf.verifyData(masterSecret, !isClient(), transcriptHash());
        boolean ok = Tls12Prf.verifyDataMatches(expected, fin.verifyData());
        wipe(expected);
        if (!ok) {
            throw new TlsAlertException(AlertDescription.DECRYPT_ERROR,
                    (isClient() ? "server" : "client") + " Finished does not verify");
        }
        ctx.trace((isClient() ? "server" : "client") + " Finished verified");
        updateTranscript(message);
    }

    protected final void markComplete() {
        complete = true;
        destroy();
        ctx.handshakeComplete();
    }

    /** After the handshake: renegotiation is refused (see the class comment). */
    protected final class Traffic implements State {
        @Override
        public State handle(int type, byte[] message, TlsReader body) throws TlsAlertException {
            if ((type == HandshakeType.HELLO_REQUEST && isClient()) || (type == HandshakeType.CLIENT_HELLO && !isClient())) {
                throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "renegotiation is not supported");
            }
            throw unexpected(type);
        }
    }

    @Override
    public void destroy() {
        if (keyBlock != null) {
            keyBlock.destroy();
            keyBlock = null;
        }
        if (masterSecret != null) {
            masterSecret.destroy();
            masterSecret = null;
        }
    }
}
