package io.tlsaccel.tls.handshake;

import static io.tlsaccel.tls.handshake.HandshakeSupport.unexpected;
import static io.tlsaccel.tls.handshake.HandshakeSupport.wipe;

import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.CertificateVerify;
import io.tlsaccel.tls.message.Finished;
import io.tlsaccel.tls.message.HandshakeType;
import io.tlsaccel.tls.message.KeyUpdate;
import io.tlsaccel.tls.message.TlsAlertException;
import io.tlsaccel.tls.message.TlsReader;
import io.tlsaccel.tls.record.Tls13CipherSuite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Arrays;

/**
 * What the TLS 1.3 client and server state machines share: the transcript, the key schedule,
 * the traffic secrets, post-handshake KeyUpdate, and the certificate helpers. Each side keeps
 * one small {@link State} object per message it is waiting for; a message that state does not
 * expect has nowhere to go and becomes unexpected_message.
 */
public abstract class Tls13Handshake implements TlsHandshake {
    /** TLS 1.3 (RFC 8446 4.2.1). */
    public static final int TLS13 = 0x0304;
    public static final int LEGACY_VERSION = 0x0303;

    /**
     * One state per awaited message: takes the message, returns the next state. Each state
     * holds what the next step needs; the states of each side are sealed in that side's class.
     */
    protected sealed interface State permits Tls13ClientHandshake.ClientState, Tls13ServerHandshake.ServerState, Traffic {
        State handle(int type, byte[] message, TlsReader body) throws TlsAlertException;
    }

    protected final HandshakeContext ctx;
    protected final HandshakeConfig config;
    protected final TranscriptHash transcript = new TranscriptHash();
    protected Tls13CipherSuite suite;
    protected KeySchedule schedule;
    /** Every secret of this handshake, wiped by {@link #destroy()}. */
    protected final Secret.Owner secrets = new Secret.Owner();
    /** The application traffic secrets once the handshake is complete (KeyUpdate replaces them). */
    private Secret.Pair application;
    protected State state;
    private boolean complete;

    protected Tls13Handshake(HandshakeContext ctx) {
        this.ctx = ctx;
        this.config = ctx.config();
    }

    /** Client: sends the ClientHello. Server: nothing to do until it arrives. */
    @Override
    public abstract void start() throws TlsAlertException;

    @Override
    public int version() {
        return TLS13;
    }

    /** TLS 1.3 drops the compatibility CCS in the engine (RFC 8446 5); it never reaches here. */
    @Override
    public void changeCipherSpec() throws TlsAlertException {
        throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "unexpected change_cipher_spec");
    }

    protected abstract boolean isClient();

    /** Handles one whole handshake message (header included). */
    @Override
    public final void handle(byte[] message) throws TlsAlertException {
        int type = message[0] & 0xff;
        TlsReader body = new TlsReader(message, 4, message.length - 4);
        if (state == null) {
            throw unexpected(type);
        }
        state = state.handle(type, message, body);
    }

    @Override
    public final boolean isComplete() {
        return complete;
    }

    /** Both Finished are done: the handshake secrets go, the application secrets stay for KeyUpdate. */
    protected final State markComplete(Secret.Pair handshakeSecrets, Secret.Pair applicationSecrets) {
        complete = true;
        handshakeSecrets.close();
        application = applicationSecrets;
        schedule.destroy();
        ctx.handshakeComplete();
        return new Traffic();
    }

    /** The handshake traffic secrets (RFC 8446 7.1) from the (EC)DHE shared secret, which is wiped. */
    protected final Secret.Pair deriveHandshakeSecrets(byte[] shared) {
        try {
            return secrets.own(schedule.deriveHandshakeSecrets(shared, transcript.current()));
        } finally {
            wipe(shared);
        }
    }

    /** The application traffic secrets (RFC 8446 7.1) over the transcript up to the server Finished. */
    protected final Secret.Pair deriveApplicationSecrets() {
        return secrets.own(schedule.deriveApplicationSecrets(transcript.current()));
    }

    protected final void updateTranscript(byte[] message) {
        transcript.update(message);
    }

    /** Sends a message and adds it to the transcript. */
    protected final void send(byte[] message) {
        transcript.update(message);
        ctx.sendHandshake(message);
    }

    protected final void installWrite(Secret secret, boolean application) {
        byte[] s = secret.bytes();
        ctx.changeWriteKeys(suite, schedule.trafficKey(s), schedule.trafficIv(s), application);
    }

    protected final void installRead(Secret secret, boolean application) throws TlsAlertException {
        byte[] s = secret.bytes();
        ctx.changeReadKeys(suite, schedule.trafficKey(s), schedule.trafficIv(s), application);
    }

    // ---- post-handshake: KeyUpdate (4.6.3, 7.2) ----

    /** Sends a KeyUpdate and switches our write keys to the next generation. */
    @Override
    public final void sendKeyUpdate(boolean requestPeerUpdate) {
        if (!complete) {
            throw new IllegalStateException("KeyUpdate before the handshake is complete");
        }
        ctx.sendHandshake(new KeyUpdate(requestPeerUpdate).encode());
        Secret own = application.own(isClient());
        own.replace(schedule.nextTrafficSecret(own.bytes()));
        installWrite(own, true);
    }

    /** The post-handshake state: KeyUpdate both ways; NewSessionTicket (client) is ignored. */
    protected final class Traffic implements State {
        private Traffic() {
        }

        @Override
        public State handle(int type, byte[] message, TlsReader body) throws TlsAlertException {
            if (type == HandshakeType.KEY_UPDATE) {
                KeyUpdate ku = KeyUpdate.decode(body);
                Secret peer = application.peer(isClient());
                peer.replace(schedule.nextTrafficSecret(peer.bytes()));
                installRead(peer, true);
                if (ku.updateRequested() && ctx.mayAnswerKeyUpdate()) {
                    // 4.6.3: answer with our own KeyUpdate, update_not_requested (one answers
                    // every request before it goes out; none once we have closed).
                    sendKeyUpdate(false);
                }
                return this;
            }
            if (type == HandshakeType.NEW_SESSION_TICKET && isClient()) {
                ticketReceived(io.tlsaccel.tls.message.NewSessionTicket.decode(body));
                return this;
            }
            throw unexpected(type);
        }
    }

    /** Client: a NewSessionTicket (4.6.1) arrived after the handshake. */
    protected void ticketReceived(io.tlsaccel.tls.message.NewSessionTicket ticket) throws TlsAlertException {
    }

    // ---- CertificateVerify (4.4.3) ----

    protected static byte[] certificateVerifyContent(boolean server, byte[] transcriptHash) {
        byte[] label = (server ? "TLS 1.3, server CertificateVerify" : "TLS 1.3, client CertificateVerify")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[64 + label.length + 1 + transcriptHash.length];
        Arrays.fill(out, 0, 64, (byte) 0x20);
        System.arraycopy(label, 0, out, 64, label.length);
        out[64 + label.length] = 0;
        System.arraycopy(transcriptHash, 0, out, 65 + label.length, transcriptHash.length);
        return out;
    }

    /**
     * The peer's CertificateVerify (4.4.3): the scheme must be one we offered and fit the
     * certificate's key, and the signature must cover the transcript so far.
     */
    protected final void verifyPeerCertificateVerify(TlsReader body, PublicKey key, int[] offered)
            throws TlsAlertException {
        String peer = isClient() ? "server" : "client";
        CertificateVerify cv = CertificateVerify.decode(body);
        byte[] content = certificateVerifyContent(isClient(), transcript.current());
        PeerCertificates.verifySignature(ctx, cv.algorithm(), offered, key, true, content, cv.signature(),
                peer + " CertificateVerify", peer + " signature");
    }

    /** The peer's Finished (4.4.4), compared in constant time; a mismatch is decrypt_error. */
    protected final void verifyPeerFinished(TlsReader body, Secret.Pair handshakeSecrets) throws TlsAlertException {
        Finished fin = Finished.decode(body, suite.hashLength());
        byte[] expected = schedule.finishedVerifyData(handshakeSecrets.peer(isClient()).bytes(), transcript.current());
        boolean ok = MessageDigest.isEqual(expected, fin.verifyData());
        wipe(expected);
        if (!ok) {
            throw new TlsAlertException(AlertDescription.DECRYPT_ERROR,
                    (isClient() ? "server" : "client") + " Finished does not verify");
        }
    }


    /** Sends our Finished (4.4.4) over the transcript so far. */
    protected final void sendFinished(Secret.Pair handshakeSecrets) {
        byte[] verify = schedule.finishedVerifyData(handshakeSecrets.own(isClient()).bytes(), transcript.current());
        send(new Finished(verify).encode());
        wipe(verify);
    }

    /** Wipes every secret still held. */
    @Override
    public void destroy() {
        secrets.close();
        if (schedule != null) {
            schedule.destroy();
        }
    }

    public Tls13CipherSuite suite() {
        return suite;
    }
}
