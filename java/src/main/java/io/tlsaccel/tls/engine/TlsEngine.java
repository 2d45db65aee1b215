package io.tlsaccel.tls.engine;

import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.tls.handshake.HandshakeConfig;
import io.tlsaccel.tls.handshake.HandshakeContext;
import io.tlsaccel.tls.handshake.Tls12ClientHandshake;
import io.tlsaccel.tls.handshake.Tls12ServerHandshake;
import io.tlsaccel.tls.handshake.Tls13ClientHandshake;
import io.tlsaccel.tls.handshake.Tls13ServerHandshake;
import io.tlsaccel.tls.handshake.TlsHandshake;
import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.ContentType;
import io.tlsaccel.tls.message.Handshake;
import io.tlsaccel.tls.message.TlsAlertException;
import io.tlsaccel.tls.record.Tls13CipherSuite;
import io.tlsaccel.tls.record.RecordCipher;
import io.tlsaccel.tls.record.RecordLayer;
import io.tlsaccel.tls.record.Tls13RecordProtection;
import io.tlsaccel.tls.record.Tls12CipherSuite;
import io.tlsaccel.tls.record.Tls12RecordCipher;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;

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
    /** RFC 8446 5.1 leaves limits on empty records to implementations; we allow this many in a row. */
    static final int MAX_EMPTY_RECORDS = 32;

    private final TlsContextSpi context;
    private final Object lock = new Object();

    // ---- configuration ----
    private boolean clientMode;
    private boolean modeSet;
    private final EngineSettings settings;
    private long recordLimitOverride = -1;
    private UnaryOperator<byte[]> outgoingHandshakeFilter;

    // ---- connection state ----
    private TlsHandshake handshake;
    private boolean handshakeStarted;
    private boolean handshakeComplete;
    private boolean finishedReported;
    private TlsSession handshakeSession;
    private TlsSession session;
    private String applicationProtocol;
    /** Framing and the keys in force for each direction; TLS 1.2 or 1.3 record rules. */
    private final RecordLayer records = new RecordLayer();
    private boolean readApplication;
    private final OutboundQueue outbound = new OutboundQueue(records);
    private final HandshakeJoiner joiner = new HandshakeJoiner();
    private ByteBuffer scratch;
    private int ccsReceived;
    /** A handshake message from the peer has arrived (for a server: a ClientHello). */
    private boolean handshakeMessageReceived;
    private int emptyRun;
    private boolean inboundDone;
    private boolean outboundDone;
    private boolean closeQueued;
    private boolean receivedCloseNotify;
    /** Bytes of rejected 0-RTT data we may still skip (4.2.10); 0 when not skipping. */
    private int earlyDataSkipBudget;

    TlsEngine(TlsContextSpi context, String host, int port) {
        super(host, port);
        this.context = context;
        this.settings = new EngineSettings(context.protocols());
        this.session = new TlsSession(context.sessionContext(false), host, port);
    }

    // =====================================================================================
    // Configuration
    // =====================================================================================

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
            return session;
        }
    }

    @Override
    public SSLSession getHandshakeSession() {
        synchronized (lock) {
            return handshakeStarted && !handshakeComplete ? handshakeSession : null;
        }
    }

    @Override
    public String getApplicationProtocol() {
        synchronized (lock) {
            return handshakeComplete ? applicationProtocol : null;
        }
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        synchronized (lock) {
            return handshakeStarted && !handshakeComplete ? applicationProtocol : null;
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

    // =====================================================================================
    // Handshake control
    // =====================================================================================

    @Override
    public Runnable getDelegatedTask() {
        return null;
    }

    @Override
    public void beginHandshake() throws SSLException {
        synchronized (lock) {
            if (handshakeComplete) {
                // TLS 1.3 has no renegotiation: refresh our keys instead (4.6.3). TLS 1.2:
                // we never renegotiate, so there is nothing to do.
                if (!outboundDone && !closeQueued) {
                    handshake.sendKeyUpdate(false);
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
        handshakeSession = new TlsSession(context.sessionContext(clientMode), getPeerHost(), getPeerPort());
        try {
            HandshakeConfig config = settings.handshakeConfig(clientMode, getPeerHost());
            if (!config.tls13() && !config.tls12()) {
                throw new TlsAlertException(AlertDescription.PROTOCOL_VERSION, "neither TLSv1.3 nor TLSv1.2 is enabled");
            }
            if (!settings.enableSessionCreation()) {
                // Without resumption every handshake creates a session (SSLEngine contract).
                throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "session creation is disabled");
            }
            Context ctx = new Context(config);
            if (config.tls13()) {
                handshake = clientMode ? new Tls13ClientHandshake(ctx) : new Tls13ServerHandshake(ctx);
            } else {
                records.useTls12();
                handshake = clientMode ? new Tls12ClientHandshake(ctx) : new Tls12ServerHandshake(ctx);
            }
            handshake.start();
        } catch (TlsAlertException e) {
            throw fail(e);
        }
    }

    /** The engine as the handshake sees it. */
    private final class Context implements HandshakeContext {
        private final HandshakeConfig config;

        Context(HandshakeConfig config) {
            this.config = config;
        }

        @Override
        public SecureRandom random() {
            return context.random();
        }

        @Override
        public X509ExtendedKeyManager keyManager() {
            return context.keyManager();
        }

        @Override
        public X509TrustManager trustManager() {
            return context.trustManager();
        }

        @Override
        public SSLEngine engine() {
            return TlsEngine.this;
        }

        @Override
        public HandshakeConfig config() {
            return config;
        }

        @Override
        public void sendHandshake(byte[] message) {
            UnaryOperator<byte[]> f = outgoingHandshakeFilter;
            byte[] m = f == null ? message : f.apply(message);
            if (m != null && m.length > 0) {
                HandshakeObserver o = observer;
                if (o != null) {
                    o.message(true, m[0] & 0xff, m.length);
                }
                outbound.addHandshake(m);
            }
        }

        @Override
        public void trace(String event) {
            HandshakeObserver o = observer;
            if (o != null) {
                o.event(event);
            }
        }

        @Override
        public void sendChangeCipherSpec() {
            outbound.addChangeCipherSpec();
        }

        private long limit(Tls13CipherSuite suite) {
            return recordLimitOverride > 0 ? recordLimitOverride : suite.recordLimit();
        }

        @Override
        public void changeWriteKeys(Tls13CipherSuite suite, byte[] key, byte[] iv, boolean application) {
            trace("now sending under " + (application ? "application" : "handshake") + " traffic keys");
            outbound.addKeyChange(new Tls13RecordProtection(suite, key, iv, limit(suite)));
        }

        @Override
        public void changeReadKeys(Tls13CipherSuite suite, byte[] key, byte[] iv, boolean application) throws TlsAlertException {
            trace("now reading under " + (application ? "application" : "handshake") + " traffic keys");
            try {
                joiner.requireMessageBoundary();
            } catch (TlsAlertException e) {
                Arrays.fill(key, (byte) 0);
                Arrays.fill(iv, (byte) 0);
                throw e;
            }
            records.changeReadCipher(new Tls13RecordProtection(suite, key, iv, Long.MAX_VALUE));
            readApplication = application;
        }

        @Override
        public void negotiated(Tls13CipherSuite suite) {
            handshakeSession.setSuite(suite);
        }

        @Override
        public void negotiated12(Tls12CipherSuite suite) {
            records.tls12Negotiated();
            handshakeSession.setSuite12(suite);
        }

        @Override
        public void switchTo(TlsHandshake next) {
            handshake = next;
        }

        @Override
        public void changeWriteKeys12(AeadAlgorithm aead, byte[] key, byte[] fixedIv) {
            trace("ChangeCipherSpec sent: now sending under the TLS 1.2 keys");
            outbound.addKeyChange(new Tls12RecordCipher(aead, key, fixedIv));
        }

        @Override
        public void changeReadKeys12(AeadAlgorithm aead, byte[] key, byte[] fixedIv) throws TlsAlertException {
            try {
                joiner.requireMessageBoundary();
            } catch (TlsAlertException e) {
                Arrays.fill(key, (byte) 0);
                Arrays.fill(fixedIv, (byte) 0);
                throw e;
            }
            trace("ChangeCipherSpec received: now reading under the TLS 1.2 keys");
            records.changeReadCipher(new Tls12RecordCipher(aead, key, fixedIv));
            // Application data only after the peer's Finished (RFC 5246 7.4.9).
            readApplication = false;
        }

        @Override
        public void peerCertificates(X509Certificate[] chain) {
            handshakeSession.setPeerCertificates(chain);
        }

        @Override
        public void localCertificates(X509Certificate[] chain) {
            handshakeSession.setLocalCertificates(chain);
        }

        @Override
        public void applicationProtocol(String protocol) {
            applicationProtocol = protocol;
        }

        @Override
        public void requestedServerNames(List<SNIServerName> names) {
            handshakeSession.setRequestedServerNames(names);
        }

        @Override
        public void peerSignatureSchemes(int[] schemes) {
            handshakeSession.setPeerSignatureSchemes(schemes);
        }

        @Override
        public void localSignatureSchemes(int[] schemes) {
            // The session reports everything we accept in certificates (see TlsSession).
        }

        @Override
        public void skipEarlyData() {
            // Bounded like a max_early_data_size of 64 KiB plus record overhead.
            earlyDataSkipBudget = 1 << 16;
        }

        @Override
        public void handshakeComplete() {
            handshakeComplete = true;
            if (records.isTls12()) {
                readApplication = true;
            }
            if (applicationProtocol == null) {
                applicationProtocol = "";
            }
            session = handshakeSession;
            session.touch();
        }
    }

    // =====================================================================================
    // Status
    // =====================================================================================

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
        if (handshakeStarted && !handshakeComplete && !inboundDone && !outboundDone) {
            return HandshakeStatus.NEED_UNWRAP;
        }
        return HandshakeStatus.NOT_HANDSHAKING;
    }

    /** The status for a result: FINISHED once, when the handshake completed and all is sent. */
    private HandshakeStatus resultStatus() {
        HandshakeStatus s = status();
        if (handshakeComplete && !finishedReported && s == HandshakeStatus.NOT_HANDSHAKING) {
            finishedReported = true;
            return HandshakeStatus.FINISHED;
        }
        return s;
    }

    private SSLEngineResult result(Status st, int consumed, int produced) {
        return new SSLEngineResult(st, resultStatus(), consumed, produced);
    }

    // =====================================================================================
    // Failure and closure
    // =====================================================================================

    /** The one place a local failure becomes an alert: queue it, close inbound, wipe keys. */
    private SSLException fail(TlsAlertException e) {
        inboundDone = true;
        closeQueued = true;
        outbound.dropAfterFailure(e.alert());
        if (handshake != null) {
            handshake.destroy();
        }
        records.closeRead();
        joiner.clear();
        SSLException out = handshakeComplete ? new SSLException(e.getMessage(), e)
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
        if (handshake != null) {
            handshake.destroy();
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

    // =====================================================================================
    // wrap
    // =====================================================================================

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
                if (!handshakeComplete || closeQueued) {
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
                    handshake.sendKeyUpdate(false);
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

    // =====================================================================================
    // unwrap
    // =====================================================================================

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
                return unwrapRecord(src, dsts, offset, length);
            } catch (TlsAlertException e) {
                throw fail(e);
            }
        }
    }

    private SSLEngineResult unwrapRecord(ByteBuffer src, ByteBuffer[] dsts, int offset, int length)
            throws SSLException {
        int total = records.readHeader(src);
        if (total < 0 || src.remaining() < total) {
            return result(Status.BUFFER_UNDERFLOW, 0, 0);
        }
        int pos = src.position();
        int type = records.type();
        int recordLength = records.length();

        if (type == ContentType.CHANGE_CIPHER_SPEC && records.isTls12()) {
            // RFC 5246 7.1: one byte of value 1, at a point where the handshake expects it.
            if (recordLength != 1 || src.get(pos + 5) != 1 || handshakeComplete) {
                throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "unexpected change_cipher_spec");
            }
            src.position(pos + total);
            handshake.changeCipherSpec();
            return result(Status.OK, total, 0);
        }
        if (type == ContentType.CHANGE_CIPHER_SPEC) {
            // 5: one unprotected CCS of value 1 may arrive during the handshake once the
            // ClientHello was sent (D.4: also between HelloRetryRequest and the second
            // ClientHello); it is dropped.
            boolean helloSeen = clientMode || handshakeMessageReceived;
            if (recordLength != 1 || src.get(pos + 5) != 1 || handshakeComplete || ccsReceived > 0 || !helloSeen) {
                throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "unexpected change_cipher_spec");
            }
            ccsReceived++;
            src.position(pos + total);
            return result(Status.OK, total, 0);
        }

        if (!records.isProtected()) {
            if (records.hasReadKeys() && !(type == ContentType.ALERT && !handshakeComplete)) {
                throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "unprotected record after keys were set");
            }
            if (type == ContentType.APPLICATION_DATA) {
                throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "application data before the handshake");
            }
            byte[] body = new byte[recordLength];
            src.position(pos + RecordLayer.HEADER_LENGTH);
            src.get(body);
            if (type == ContentType.ALERT) {
                return alertReceived(body, 0, body.length, total);
            }
            joiner.append(body, 0, body.length);
            processHandshakeMessages();
            return result(Status.OK, total, 0);
        }

        // Protected record.
        int maxPlain = records.openedLength();
        // The SSLEngine contract fills the destinations in order: the record is opened in place
        // only into the first one with room, and only if it holds the whole record; otherwise
        // it goes through the scratch buffer and is spread over the destinations in order.
        long room = 0;
        ByteBuffer current = null;
        for (int i = offset; i < offset + length; i++) {
            room += dsts[i].remaining();
            if (current == null && dsts[i].hasRemaining()) {
                current = dsts[i];
            }
        }
        ByteBuffer direct = current != null && current.remaining() >= maxPlain ? current : null;
        src.position(pos + RecordLayer.HEADER_LENGTH);
        int innerType;
        int contentLength;
        ByteBuffer plain;
        int plainStart;
        if (readApplication && direct != null) {
            plain = direct;
            plainStart = direct.position();
            try {
                innerType = records.open(src, direct);
            } catch (TlsAlertException e) {
                src.position(pos);
                direct.position(plainStart);
                throw e;
            }
            contentLength = direct.position() - plainStart;
        } else {
            if (scratch == null) {
                scratch = ByteBuffer.allocate(RecordLayer.MAX_CIPHERTEXT);
            }
            scratch.clear();
            plain = scratch;
            plainStart = 0;
            try {
                innerType = records.open(src, scratch);
            } catch (TlsAlertException e) {
                if (earlyDataSkipBudget > 0 && e.alert() == AlertDescription.BAD_RECORD_MAC
                        && recordLength <= earlyDataSkipBudget) {
                    // A 0-RTT record under keys we do not have: skip it (4.2.10).
                    earlyDataSkipBudget -= recordLength;
                    src.position(pos + total);
                    return result(Status.OK, total, 0);
                }
                throw e;
            }
            earlyDataSkipBudget = 0;
            contentLength = scratch.position();
            if (innerType == ContentType.APPLICATION_DATA && readApplication && contentLength > room) {
                // Cannot deliver: undo and let the caller make room.
                zero(scratch, 0, recordLength);
                records.rewindOne();
                src.position(pos);
                return result(Status.BUFFER_OVERFLOW, 0, 0);
            }
        }

        switch (innerType) {
            case ContentType.APPLICATION_DATA: {
                if (!readApplication) {
                    zero(plain, plainStart, contentLength);
                    plain.position(plainStart);
                    throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "application data before Finished");
                }
                if (contentLength == 0) {
                    if (++emptyRun > MAX_EMPTY_RECORDS) {
                        throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "too many empty records");
                    }
                } else {
                    emptyRun = 0;
                }
                if (plain == scratch) {
                    scatter(scratch, contentLength, dsts, offset, length);
                }
                return result(Status.OK, total, contentLength);
            }
            case ContentType.HANDSHAKE: {
                byte[] body = new byte[contentLength];
                plain.get(plainStart, body);
                zero(plain, plainStart, maxPlain);
                plain.position(plainStart);
                if (contentLength == 0) {
                    // 5.1: zero-length handshake fragments are not allowed.
                    throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "empty handshake record");
                }
                emptyRun = 0;
                joiner.append(body, 0, body.length);
                processHandshakeMessages();
                return result(inboundDone ? Status.CLOSED : Status.OK, total, 0);
            }
            case ContentType.ALERT: {
                byte[] body = new byte[contentLength];
                plain.get(plainStart, body);
                zero(plain, plainStart, maxPlain);
                plain.position(plainStart);
                return alertReceived(body, 0, body.length, total);
            }
            default:
                zero(plain, plainStart, maxPlain);
                plain.position(plainStart);
                throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "unexpected inner content type " + innerType);
        }
    }

    private static void zero(ByteBuffer b, int from, int len) {
        int end = Math.min(b.limit(), from + len);
        for (int i = from; i < end; i++) {
            b.put(i, (byte) 0);
        }
    }

    private static void scatter(ByteBuffer from, int n, ByteBuffer[] dsts, int offset, int length) {
        int done = 0;
        for (int i = offset; i < offset + length && done < n; i++) {
            int take = Math.min(dsts[i].remaining(), n - done);
            dsts[i].put(from.array(), done, take);
            done += take;
        }
        Arrays.fill(from.array(), 0, n, (byte) 0);
    }

    private SSLEngineResult alertReceived(byte[] body, int off, int len, int consumed) throws SSLException {
        if (len != 2) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR, "alert of " + len + " bytes");
        }
        AlertDescription d = AlertDescription.of(body[off + 1] & 0xff);
        if (d == AlertDescription.CLOSE_NOTIFY) {
            receivedCloseNotify = true;
            inboundDone = true;
            records.closeRead();
            if (!handshakeComplete) {
                // The peer gave up mid-handshake.
                closeAll();
                throw new SSLHandshakeException("Received close_notify during handshake");
            }
            releaseIfClosed();
            return result(Status.CLOSED, consumed, 0);
        }
        if (d == AlertDescription.USER_CANCELED) {
            // 6.1: a warning that precedes close_notify.
            return result(Status.OK, consumed, 0);
        }
        if (records.isTls12() && body[off] == 1) {
            // RFC 5246 7.2.2: a warning (e.g. no_renegotiation) leaves the connection usable.
            // Bounded like empty records, so a peer cannot keep us busy with them.
            if (++emptyRun > MAX_EMPTY_RECORDS) {
                throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "too many warning alerts");
            }
            return result(Status.OK, consumed, 0);
        }
        // 6.2: every other alert is fatal in TLS 1.3 (and every fatal-level one in TLS 1.2).
        boolean wasHandshaking = !handshakeComplete;
        closeAll();
        String name = d == null ? "alert(" + (body[off + 1] & 0xff) + ")" : d.rfcName();
        String msg = "Received fatal alert: " + name;
        throw wasHandshaking ? new SSLHandshakeException(msg) : new SSLException(msg);
    }

    private void processHandshakeMessages() throws TlsAlertException {
        byte[] msg;
        while (!inboundDone && (msg = joiner.next()) != null) {
            handshakeMessageReceived = true;
            HandshakeObserver o = observer;
            if (o != null) {
                o.message(false, msg[0] & 0xff, msg.length);
            }
            handshake.handle(msg);
        }
    }

    /** Shows the handshake to {@code o} as it happens (null: nobody watches). */
    public void setHandshakeObserver(HandshakeObserver o) {
        this.observer = o;
    }

    @Override
    public String toString() {
        return "TlsEngine[" + (clientMode ? "client" : "server") + ", " + session + "]";
    }
}
