package io.tlsaccel.tls.engine;

import io.tlsaccel.tls.policy.JdkTlsPolicy;
import io.tlsaccel.tls.handshake.HandshakeConfig;
import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.ContentType;
import io.tlsaccel.tls.message.Handshake;
import io.tlsaccel.tls.message.TlsAlertException;
import io.tlsaccel.tls.record.RecordLayer;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * TLS 1.3 and TLS 1.2 behind {@link SSLEngine}; the version is negotiated by the handshake
 * (a TLS 1.3 machine hands over to a TLS 1.2 one when the peer asks for 1.2). Handshake work
 * is done inline (no delegated tasks). One lock guards the connection state; the record
 * path allocates nothing per record.
 *
 * <p>wrap: flushes queued handshake output (messages, CCS, key changes, alerts) as records,
 * else seals at most one record of application data. unwrap: consumes exactly one record.
 * A local failure queues the alert (sent by the next wrap), closes inbound and throws;
 * a received fatal alert closes both directions and throws.
 */
public final class TlsEngine extends SSLEngine {

    private volatile HandshakeObserver observer;

    private final TlsContextSpi context;
    private final Object lock = new Object();

    // ---- configuration ----
    private boolean clientMode;
    private boolean modeSet;
    private final EngineSettings settings;
    private long recordLimitOverride = -1;
    private UnaryOperator<byte[]> outgoingHandshakeFilter;

    // ---- connection state ----
    /** Null until the handshake starts. */
    private EngineHandshake handshake;
    private boolean handshakeStarted;
    private boolean finishedReported;
    private TlsSession session;
    /** Framing and the keys in force for each direction; TLS 1.2 or 1.3 record rules. */
    private final RecordLayer records = new RecordLayer();
    private final OutboundQueue outbound = new OutboundQueue(records);
    private final HandshakeJoiner joiner = new HandshakeJoiner();
    private final InboundDispatch inbound = new InboundDispatch(records, joiner, new Inbound());
    private boolean inboundDone;
    private boolean outboundDone;
    private boolean closeQueued;
    private boolean receivedCloseNotify;

    TlsEngine(TlsContextSpi context, String host, int port) {
        super(host, port);
        this.context = context;
        this.settings = new EngineSettings(context.protocols(), context.policy(), context.engineDefaults());
        this.session = new TlsSession(context.sessionContext(false), host, port);
    }

    // ---- Configuration ----

    /** Key exchange groups in preference order (names as in jdk.tls.namedGroups). */
    public void setNamedGroups(String[] groups) {
        synchronized (lock) {
            settings.setNamedGroups(groups);
        }
    }

    public String[] getNamedGroups() {
        synchronized (lock) {
            return settings.namedGroups();
        }
    }

    /** Tests: KeyUpdate after this many records per key instead of the suite's AEAD limit. */
    void setRecordLimitForTesting(long limit) {
        recordLimitOverride = limit;
    }

    /** Tests: rewrite each outgoing handshake message after it entered the transcript. */
    void setOutgoingHandshakeFilterForTesting(UnaryOperator<byte[]> filter) {
        outgoingHandshakeFilter = filter;
    }

    /** Tests: queue a warning-level alert (TLS 1.2 only knows warnings besides close_notify). */
    void sendWarningForTesting(AlertDescription description) {
        synchronized (lock) {
            outbound.addAlert(description, false);
        }
    }

    /** Tests: queue a raw handshake message (e.g. a HelloRequest) as if the handshake had sent it. */
    void sendHandshakeForTesting(byte[] message) {
        synchronized (lock) {
            outbound.addHandshake(message.clone());
        }
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return EngineSettings.allSuiteNames();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        synchronized (lock) {
            return settings.enabledCipherSuites();
        }
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        synchronized (lock) {
            settings.setEnabledCipherSuites(suites);
        }
    }

    @Override
    public String[] getSupportedProtocols() {
        return context.protocols().toArray(new String[0]);
    }

    @Override
    public String[] getEnabledProtocols() {
        synchronized (lock) {
            return settings.enabledProtocols();
        }
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        synchronized (lock) {
            settings.setEnabledProtocols(protocols);
        }
    }

    @Override
    public SSLSession getSession() {
        synchronized (lock) {
            return handshakeComplete() ? handshake.session() : session;
        }
    }

    @Override
    public SSLSession getHandshakeSession() {
        synchronized (lock) {
            return handshakeStarted && !handshakeComplete() ? handshake.session() : null;
        }
    }

    @Override
    public String getApplicationProtocol() {
        synchronized (lock) {
            return handshakeComplete() ? handshake.applicationProtocol() : null;
        }
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        synchronized (lock) {
            return handshakeStarted && !handshakeComplete() ? handshake.applicationProtocol() : null;
        }
    }

    @Override
    public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
        synchronized (lock) {
            settings.setAlpnSelector(selector);
        }
    }

    @Override
    public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
        synchronized (lock) {
            return settings.alpnSelector();
        }
    }

    @Override
    public void setUseClientMode(boolean mode) {
        synchronized (lock) {
            if (handshakeStarted) {
                throw new IllegalArgumentException("cannot change mode after the handshake started");
            }
            clientMode = mode;
            modeSet = true;
            settings.useClientMode(mode);
            session = new TlsSession(context.sessionContext(mode), getPeerHost(), getPeerPort());
        }
    }

    @Override
    public boolean getUseClientMode() {
        synchronized (lock) {
            return clientMode;
        }
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        synchronized (lock) {
            settings.setNeedClientAuth(need);
        }
    }

    @Override
    public boolean getNeedClientAuth() {
        synchronized (lock) {
            return settings.needClientAuth();
        }
    }

    @Override
    public void setWantClientAuth(boolean want) {
        synchronized (lock) {
            settings.setWantClientAuth(want);
        }
    }

    @Override
    public boolean getWantClientAuth() {
        synchronized (lock) {
            return settings.wantClientAuth();
        }
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        synchronized (lock) {
            settings.setEnableSessionCreation(flag);
        }
    }

    @Override
    public boolean getEnableSessionCreation() {
        synchronized (lock) {
            return settings.enableSessionCreation();
        }
    }

    @Override
    public SSLParameters getSSLParameters() {
        synchronized (lock) {
            return settings.toParameters();
        }
    }

    @Override
    public void setSSLParameters(SSLParameters p) {
        synchronized (lock) {
            settings.apply(p);
        }
    }

    // ---- Handshake control ----

    @Override
    public Runnable getDelegatedTask() {
        return null;
    }

    @Override
    public void beginHandshake() throws SSLException {
        synchronized (lock) {
            if (handshakeComplete()) {
                // TLS 1.3 has no renegotiation: refresh our keys instead (4.6.3). TLS 1.2:
                // we never renegotiate, so there is nothing to do.
                if (!outboundDone && !closeQueued) {
                    handshake.machine().sendKeyUpdate(false);
                }
                return;
            }
            startHandshake();
        }
    }

    private void startHandshake() throws SSLException {
        if (handshakeStarted) {
            return;
        }
        if (!modeSet) {
            throw new IllegalStateException("client/server mode has not been set");
        }
        if (inboundDone || outboundDone) {
            throw new SSLException("engine is closed");
        }
        handshakeStarted = true;
        HandshakeConfig config = settings.handshakeConfig(clientMode, getPeerHost());
        handshake = new EngineHandshake(this, context, config, records, outbound, joiner, inbound,
                new TlsSession(context.sessionContext(clientMode), getPeerHost(), getPeerPort()));
        try {
            if (!config.tls13() && !config.tls12()) {
                throw new TlsAlertException(AlertDescription.PROTOCOL_VERSION, "neither TLSv1.3 nor TLSv1.2 is enabled");
            }
            if (!settings.enableSessionCreation()) {
                // Without resumption every handshake creates a session (SSLEngine contract).
                throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "session creation is disabled");
            }
            handshake.start(clientMode);
        } catch (TlsAlertException e) {
            throw fail(e);
        } catch (RuntimeException e) {
            throw fail(callbackFailure(e));
        }
    }

    private boolean handshakeComplete() {
        return handshake != null && handshake.isComplete();
    }

    HandshakeObserver observer() {
        return observer;
    }

    UnaryOperator<byte[]> outgoingHandshakeFilter() {
        return outgoingHandshakeFilter;
    }

    /** close_notify (or a fatal alert) is queued or sent: nothing else may be written. */
    boolean outboundClosing() {
        return closeQueued || outboundDone;
    }

    JdkTlsPolicy policy() {
        return context.policy();
    }

    long recordLimitOverride() {
        return recordLimitOverride;
    }

    // ---- Status ----

    @Override
    public HandshakeStatus getHandshakeStatus() {
        synchronized (lock) {
            return status();
        }
    }

    private HandshakeStatus status() {
        if (!outbound.isEmpty() && !outboundDone) {
            return HandshakeStatus.NEED_WRAP;
        }
        if (handshakeStarted && !handshakeComplete() && !inboundDone && !outboundDone) {
            return HandshakeStatus.NEED_UNWRAP;
        }
        return HandshakeStatus.NOT_HANDSHAKING;
    }

    /** The status for a result: FINISHED once, when the handshake completed and all is sent. */
    private HandshakeStatus resultStatus() {
        HandshakeStatus s = status();
        if (handshakeComplete() && !finishedReported && s == HandshakeStatus.NOT_HANDSHAKING) {
            finishedReported = true;
            return HandshakeStatus.FINISHED;
        }
        return s;
    }

    private SSLEngineResult result(Status st, int consumed, int produced) {
        return new SSLEngineResult(st, resultStatus(), consumed, produced);
    }

    // ---- Failure and closure ----

    /**
     * A runtime exception out of the handshake: a user callback (key manager, trust manager,
     * ALPN selector, SNI matcher) or a fault of ours. Either way the peer gets internal_error
     * (RFC 8446 6.2), the engine closes, and the cause is kept for the caller.
     */
    private static TlsAlertException callbackFailure(RuntimeException e) {
        return new TlsAlertException(AlertDescription.INTERNAL_ERROR, "handshake failed: " + e.getClass().getName(), e);
    }

    /** The one place a local failure becomes an alert: queue it, close inbound, wipe keys. */
    private SSLException fail(TlsAlertException e) {
        inboundDone = true;
        closeQueued = true;
        outbound.dropAfterFailure(e.alert());
        if (handshake != null && handshake.machine() != null) {
            handshake.machine().destroy();
        }
        records.closeRead();
        joiner.clear();
        SSLException out = handshakeComplete() ? new SSLException(e.getMessage(), e)
                : new SSLHandshakeException(e.getMessage());
        if (out.getCause() == null) {
            out.initCause(e);
        }
        return out;
    }

    private void closeAll() {
        inboundDone = true;
        outboundDone = true;
        outbound.clear();
        if (handshake != null && handshake.machine() != null) {
            handshake.machine().destroy();
        }
        records.close();
    }

    /** Once both directions are closed nothing needs keys any more: wipe them. */
    private void releaseIfClosed() {
        if (inboundDone && outboundDone) {
            closeAll();
        }
    }

    @Override
    public void closeOutbound() {
        synchronized (lock) {
            if (outboundDone || closeQueued) {
                return;
            }
            closeQueued = true;
            if (!handshakeStarted) {
                outboundDone = true;
                releaseIfClosed();
                return;
            }
            // 6.1: close_notify; pending handshake output goes first.
            outbound.addAlert(AlertDescription.CLOSE_NOTIFY, false);
        }
    }

    @Override
    public boolean isOutboundDone() {
        synchronized (lock) {
            return outboundDone;
        }
    }

    @Override
    public void closeInbound() throws SSLException {
        synchronized (lock) {
            if (inboundDone) {
                return;
            }
            inboundDone = true;
            records.closeRead();
            if (handshakeStarted && !receivedCloseNotify) {
                if (!closeQueued && !outboundDone) {
                    closeQueued = true;
                    outbound.addAlert(AlertDescription.CLOSE_NOTIFY, false);
                }
                throw new SSLException("closing inbound before receiving peer's close_notify");
            }
        }
    }

    @Override
    public boolean isInboundDone() {
        synchronized (lock) {
            return inboundDone;
        }
    }

    // ---- wrap ----

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
        if (srcs == null || dst == null) {
            throw new IllegalArgumentException("null buffer");
        }
        if (offset < 0 || length < 0 || offset + length > srcs.length) {
            throw new IndexOutOfBoundsException();
        }
        if (dst.isReadOnly()) {
            throw new java.nio.ReadOnlyBufferException();
        }
        synchronized (lock) {
            if (!handshakeStarted && !outboundDone && !closeQueued) {
                startHandshake();
            }
            if (outboundDone) {
                return result(Status.CLOSED, 0, 0);
            }
            int start = dst.position();
            try {
                if (!outbound.isEmpty()) {
                    boolean progressed = flush(dst);
                    if (!progressed) {
                        return result(Status.BUFFER_OVERFLOW, 0, 0);
                    }
                    releaseIfClosed();
                    return result(outboundDone ? Status.CLOSED : Status.OK, 0, dst.position() - start);
                }
                if (!handshakeComplete() || closeQueued) {
                    return result(Status.OK, 0, 0);
                }
                long available = 0;
                for (int i = offset; i < offset + length; i++) {
                    available += srcs[i].remaining();
                }
                if (available == 0) {
                    return result(Status.OK, 0, 0);
                }
                if (records.writeLimitReached()) {
                    // 5.5: rekey before the AEAD usage limit.
                    handshake.machine().sendKeyUpdate(false);
                    if (!flush(dst)) {
                        return result(Status.BUFFER_OVERFLOW, 0, 0);
                    }
                    if (!outbound.isEmpty()) {
                        return result(Status.OK, 0, dst.position() - start);
                    }
                }
                int n = (int) Math.min(available, RecordLayer.MAX_PLAINTEXT);
                if (dst.remaining() < n + records.overhead()) {
                    if (dst.position() > start) {
                        return result(Status.OK, 0, dst.position() - start);
                    }
                    return result(Status.BUFFER_OVERFLOW, 0, 0);
                }
                int recordStart = dst.position();
                ByteBuffer single = holding(srcs, offset, length, n);
                if (single != null) {
                    // The whole record's content in one buffer: sealed from there, not copied first.
                    records.writeFrom(ContentType.APPLICATION_DATA, single, n, dst);
                    return result(Status.OK, n, dst.position() - start);
                }
                dst.position(recordStart + records.contentOffset());
                int copied = 0;
                for (int i = offset; i < offset + length && copied < n; i++) {
                    ByteBuffer s = srcs[i];
                    int take = Math.min(s.remaining(), n - copied);
                    if (take == 0) {
                        continue;
                    }
                    int oldLimit = s.limit();
                    s.limit(s.position() + take);
                    dst.put(s);
                    s.limit(oldLimit);
                    copied += take;
                }
                dst.position(recordStart);
                records.write(ContentType.APPLICATION_DATA, dst, n);
                return result(Status.OK, n, dst.position() - start);
            } catch (TlsAlertException e) {
                // Only a sequence number exhaustion can get here: close the connection.
                throw fail(e);
            }
        }
    }

    /** The first non-empty source, if it alone holds the next {@code n} bytes; else null. */
    private static ByteBuffer holding(ByteBuffer[] srcs, int offset, int length, int n) {
        for (int i = offset; i < offset + length; i++) {
            int r = srcs[i].remaining();
            if (r != 0) {
                return r >= n ? srcs[i] : null;
            }
        }
        return null;
    }

    /** Writes queued records while they fit; returns whether anything was done. */
    private boolean flush(ByteBuffer dst) throws TlsAlertException {
        boolean progressed = outbound.flush(dst);
        if (outbound.isClosed() && !outboundDone) {
            // Nothing follows close_notify or a fatal alert.
            outboundDone = true;
            if (outbound.fatalSent()) {
                closeAll();
            }
        }
        return progressed;
    }

    // ---- unwrap ----

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
        if (src == null || dsts == null) {
            throw new IllegalArgumentException("null buffer");
        }
        if (offset < 0 || length < 0 || offset + length > dsts.length) {
            throw new IndexOutOfBoundsException();
        }
        for (int i = offset; i < offset + length; i++) {
            if (dsts[i].isReadOnly()) {
                throw new java.nio.ReadOnlyBufferException();
            }
        }
        synchronized (lock) {
            if (!handshakeStarted && !inboundDone && !closeQueued) {
                startHandshake();
            }
            if (inboundDone) {
                return result(Status.CLOSED, 0, 0);
            }
            try {
                Status st = inbound.read(src, dsts, offset, length);
                return result(st, inbound.consumed(), inbound.produced());
            } catch (TlsAlertException e) {
                throw fail(e);
            } catch (RuntimeException e) {
                throw fail(callbackFailure(e));
            }
        }
    }

    /** The engine as the inbound records see it. */
    private final class Inbound implements InboundDispatch.Receiver {
        @Override
        public boolean clientMode() {
            return clientMode;
        }

        @Override
        public boolean handshakeComplete() {
            return TlsEngine.this.handshakeComplete();
        }

        @Override
        public boolean inboundDone() {
            return inboundDone;
        }

        @Override
        public void handshakeMessage(byte[] message) throws TlsAlertException {
            HandshakeObserver o = observer;
            if (o != null) {
                o.message(false, message[0] & 0xff, message.length);
            }
            handshake.machine().handle(message);
        }

        @Override
        public void changeCipherSpec() throws TlsAlertException {
            handshake.machine().changeCipherSpec();
        }

        @Override
        public Status closeNotify() throws SSLException {
            receivedCloseNotify = true;
            inboundDone = true;
            records.closeRead();
            if (!handshakeComplete()) {
                // The peer gave up mid-handshake.
                closeAll();
                throw new SSLHandshakeException("Received close_notify during handshake");
            }
            releaseIfClosed();
            return Status.CLOSED;
        }

        @Override
        public SSLException fatalAlert(int description) {
            boolean wasHandshaking = !handshakeComplete();
            closeAll();
            AlertDescription d = AlertDescription.of(description);
            String name = d == null ? "alert(" + description + ")" : d.rfcName();
            String msg = "Received fatal alert: " + name;
            return wasHandshaking ? new SSLHandshakeException(msg) : new SSLException(msg);
        }
    }

    /** Shows the handshake to {@code o} as it happens (null: nobody watches). */
    public void setHandshakeObserver(HandshakeObserver o) {
        this.observer = o;
    }

    @Override
    public String toString() {
        return "TlsEngine[" + (clientMode ? "client" : "server") + ", "
                + (handshakeComplete() ? handshake.session() : session) + "]";
    }
}
