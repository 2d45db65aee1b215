package io.tlsaccel.tls.engine;

import io.tlsaccel.tls.session.ClientTicket;
import io.tlsaccel.tls.session.ResumptionState;
import io.tlsaccel.tls.ticket.TicketKeys;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.tls.handshake.HandshakeConfig;
import io.tlsaccel.tls.handshake.HandshakeContext;
import io.tlsaccel.tls.handshake.Tls12ClientHandshake;
import io.tlsaccel.tls.handshake.Tls12ServerHandshake;
import io.tlsaccel.tls.handshake.Tls13ClientHandshake;
import io.tlsaccel.tls.handshake.Tls13ServerHandshake;
import io.tlsaccel.tls.handshake.TlsHandshake;
import io.tlsaccel.tls.message.TlsAlertException;
import io.tlsaccel.tls.record.RecordLayer;
import io.tlsaccel.tls.record.Tls12CipherSuite;
import io.tlsaccel.tls.record.Tls12RecordCipher;
import io.tlsaccel.tls.record.Tls13CipherSuite;
import io.tlsaccel.tls.record.Tls13RecordProtection;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * One handshake of an engine: the machine in charge, what it negotiated, and the engine as the
 * handshake sees it ({@link HandshakeContext}): messages and key changes go to the outbound
 * queue, read keys to the record layer (at a message boundary), results to the session.
 * Not thread-safe: the engine's lock guards it.
 */
final class EngineHandshake implements HandshakeContext {
    private final TlsEngine engine;
    private final TlsContextSpi context;
    private final HandshakeConfig config;
    private final RecordLayer records;
    private final OutboundQueue outbound;
    private final HandshakeJoiner joiner;
    private final InboundDispatch inbound;
    private final TlsSession session;
    /** The machine in charge (a TLS 1.3 one may hand over to a TLS 1.2 one). */
    private TlsHandshake machine;
    private String applicationProtocol;
    private boolean complete;

    EngineHandshake(TlsEngine engine, TlsContextSpi context, HandshakeConfig config, RecordLayer records,
            OutboundQueue outbound, HandshakeJoiner joiner, InboundDispatch inbound, TlsSession session) {
        this.engine = engine;
        this.context = context;
        this.config = config;
        this.records = records;
        this.outbound = outbound;
        this.joiner = joiner;
        this.inbound = inbound;
        this.session = session;
    }

    /** Starts the machine for the enabled versions and side. */
    void start(boolean clientMode) throws TlsAlertException {
        if (config.tls13()) {
            machine = clientMode ? new Tls13ClientHandshake(this) : new Tls13ServerHandshake(this);
        } else {
            records.useTls12();
            machine = clientMode ? new Tls12ClientHandshake(this) : new Tls12ServerHandshake(this);
        }
        machine.start();
    }

    TlsHandshake machine() {
        return machine;
    }

    TlsSession session() {
        return session;
    }

    String applicationProtocol() {
        return applicationProtocol;
    }

    boolean isComplete() {
        return complete;
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
        return engine;
    }

    @Override
    public HandshakeConfig config() {
        return config;
    }

    @Override
    public void sendHandshake(byte[] message) {
        UnaryOperator<byte[]> f = engine.outgoingHandshakeFilter();
        // The filter (a test hook) gets a copy: messages may be shared, e.g. our cached Certificate.
        byte[] m = f == null ? message : f.apply(message.clone());
        if (m != null && m.length > 0) {
            HandshakeObserver o = engine.observer();
            if (o != null) {
                o.message(true, m[0] & 0xff, m.length);
            }
            outbound.addHandshake(m);
        }
    }

    @Override
    public void trace(String event) {
        HandshakeObserver o = engine.observer();
        if (o != null) {
            o.event(event);
        }
    }

    @Override
    public void sendChangeCipherSpec() {
        outbound.addChangeCipherSpec();
    }

    /**
     * Records one key protects before we send a KeyUpdate: the suite's limit, lowered by the
     * JDK's {@code jdk.tls.keyLimits} (bytes, counted here as full 2^14-byte records, so the
     * byte limit is never passed).
     */
    private long limit(Tls13CipherSuite suite) {
        long override = engine.recordLimitOverride();
        if (override > 0) {
            return override;
        }
        String transformation = suite.aead() == AeadAlgorithm.CHACHA20_POLY1305 ? "ChaCha20-Poly1305" : "AES/GCM/NoPadding";
        long bytes = engine.policy().keyUpdateBytes(transformation);
        return bytes > 0 ? Math.min(suite.recordLimit(), Math.max(1, bytes >>> 14)) : suite.recordLimit();
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
        inbound.readApplication(application);
    }

    @Override
    public void negotiated(Tls13CipherSuite suite) {
        session.setSuite(suite);
    }

    @Override
    public void negotiated12(Tls12CipherSuite suite) {
        records.tls12Negotiated();
        session.setSuite12(suite);
    }

    @Override
    public void switchTo(TlsHandshake next) {
        machine = next;
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
        inbound.readApplication(false);
    }

    @Override
    public void peerCertificates(X509Certificate[] chain) {
        session.setPeerCertificates(chain);
    }

    @Override
    public void localCertificates(X509Certificate[] chain) {
        session.setLocalCertificates(chain);
    }

    @Override
    public void applicationProtocol(String protocol) {
        applicationProtocol = protocol;
    }

    @Override
    public void requestedServerNames(List<SNIServerName> names) {
        session.setRequestedServerNames(names);
    }

    @Override
    public void peerSignatureSchemes(int[] schemes) {
        session.setPeerSignatureSchemes(schemes);
    }

    @Override
    public void localSignatureSchemes(int[] schemes) {
        // The session reports everything we accept in certificates (see TlsSession).
    }

    @Override
    public boolean mayAnswerKeyUpdate() {
        return !engine.outboundClosing() && !outbound.hasPendingKeyChange();
    }

    @Override
    public void skipEarlyData() {
        inbound.skipEarlyData();
    }

    // ---- resumption ----

    private TlsSessionContext sessions() {
        return context.sessionContext(engine.getUseClientMode());
    }

    @Override
    public TicketKeys ticketKeys() {
        return sessions().ticketKeys();
    }

    @Override
    public int ticketCount() {
        return sessions().getTicketCount();
    }

    @Override
    public long ticketLifetimeSeconds() {
        return sessions().ticketLifetime();
    }

    @Override
    public boolean invalidated(byte[] sessionId) {
        return sessions().isInvalidated(sessionId);
    }

    @Override
    public ResumptionState cachedSession(byte[] sessionId) {
        return sessions().cachedSession(sessionId);
    }

    @Override
    public void cacheSession(byte[] sessionId, ResumptionState state) {
        sessions().cacheSession(sessionId, state);
    }

    @Override
    public byte[] sessionId() {
        return session.getId();
    }

    /** A client's tickets are kept per peer: host, port and the server name it asked for (as SunJSSE keys them). */
    private String peer() {
        String host = engine.getPeerHost();
        int port = engine.getPeerPort();
        if (host == null || port <= 0) {
            return null;
        }
        return host.toLowerCase(java.util.Locale.ROOT) + ":" + port + "/" + (config.serverName() == null ? "" : config.serverName());
    }

    @Override
    public ClientTicket takeTicket() {
        String peer = peer();
        return peer == null ? null : sessions().takeTicket(peer);
    }

    @Override
    public void storeTicket(ClientTicket ticket) {
        String peer = peer();
        if (peer != null && session.isValid()) {
            sessions().storeTicket(peer, ticket);
            sessions().established(session);
        }
    }

    @Override
    public void serverSessionId(byte[] sessionId) {
        session.useId(sessionId);
    }

    @Override
    public void resumed(byte[] sessionId, X509Certificate[] peerChain) {
        session.resumed(sessionId, peerChain);
    }

    @Override
    public void handshakeComplete() {
        complete = true;
        if (!engine.getUseClientMode()) {
            sessions().established(session);
        }
        if (records.isTls12()) {
            inbound.readApplication(true);
        }
        if (applicationProtocol == null) {
            applicationProtocol = "";
        }
        session.touch();
    }
}
