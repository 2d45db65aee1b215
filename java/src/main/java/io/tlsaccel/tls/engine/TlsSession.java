package io.tlsaccel.tls.engine;

import io.tlsaccel.tls.handshake.SignatureScheme;
import io.tlsaccel.tls.record.Tls13CipherSuite;
import io.tlsaccel.tls.record.RecordLayer;
import java.security.Principal;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSessionBindingEvent;
import javax.net.ssl.SSLSessionBindingListener;
import javax.net.ssl.SSLSessionContext;

/**
 * The SSLSession of one connection. A resumed connection's session carries the original
 * session's ID and peer certificates ({@link #isResumed()} tells it apart).
 */
public final class TlsSession extends ExtendedSSLSession {
    /** RFC 8446 5.1: at most 2^14 bytes of application data per record. */
    public static final int APPLICATION_BUFFER_SIZE = RecordLayer.MAX_PLAINTEXT;
    /** Header + 2^14 + 256 bytes of ciphertext (5.2); TLS 1.2 AEAD records are shorter. */
    public static final int PACKET_BUFFER_SIZE = RecordLayer.HEADER_LENGTH + RecordLayer.MAX_CIPHERTEXT;

    private static final SecureRandom ID_RANDOM = new SecureRandom();

    /** Null until asked for (a random one is made then: SecureRandom costs a lock and a
     * system call, and most connections never ask) or set by the handshake. */
    private volatile byte[] id;
    private volatile boolean resumed;
    private final SSLSessionContext context;
    private final String peerHost;
    private final int peerPort;
    private final long creationTime = System.currentTimeMillis();
    private volatile long lastAccessedTime = creationTime;
    private volatile boolean valid = true;
    private final Map<String, Object> values = new ConcurrentHashMap<>();
    /** The negotiated suite's standard name, null until one is negotiated. */
    private volatile String suite;
    private volatile String protocol = "NONE";
    private volatile X509Certificate[] peerCertificates;
    private volatile X509Certificate[] localCertificates;
    private volatile String[] localSignatureAlgorithms = new String[0];
    private volatile String[] peerSignatureAlgorithms = new String[0];
    private volatile List<SNIServerName> requestedServerNames = List.of();

    TlsSession(SSLSessionContext context, String peerHost, int peerPort) {
        this.context = context;
        this.peerHost = peerHost;
        this.peerPort = peerPort;
        this.localSignatureAlgorithms = OFFERED_SIGNATURE_ALGORITHMS;
    }

    /** What every session reports as its local signature algorithms (handed out as copies). */
    private static final String[] OFFERED_SIGNATURE_ALGORITHMS = names(SignatureScheme.certificateIds());

    static String[] names(int[] schemes) {
        List<String> out = new ArrayList<>();
        for (int s : schemes) {
            SignatureScheme ss = SignatureScheme.of(s);
            if (ss != null && !out.contains(ss.jcaName())) {
                out.add(ss.jcaName());
            }
        }
        return out.toArray(new String[0]);
    }

    void setSuite(Tls13CipherSuite suite) {
        this.suite = suite.name();
        this.protocol = "TLSv1.3";
    }

    void setSuite12(io.tlsaccel.tls.record.Tls12CipherSuite suite) {
        this.suite = suite.name();
        this.protocol = "TLSv1.2";
    }

    void setPeerCertificates(X509Certificate[] chain) {
        this.peerCertificates = chain.clone();
    }

    void setLocalCertificates(X509Certificate[] chain) {
        this.localCertificates = chain.clone();
    }

    void setPeerSignatureSchemes(int[] schemes) {
        this.peerSignatureAlgorithms = names(schemes);
    }

    void setRequestedServerNames(List<SNIServerName> names) {
        this.requestedServerNames = List.copyOf(names);
    }

    @Override
    public byte[] getId() {
        byte[] v = id;
        return (v != null ? v : randomId()).clone();
    }

    private synchronized byte[] randomId() {
        if (id == null) {
            byte[] v = new byte[32];
            ID_RANDOM.nextBytes(v);
            id = v;
        }
        return id;
    }

    @Override
    public SSLSessionContext getSessionContext() {
        return context;
    }

    @Override
    public long getCreationTime() {
        return creationTime;
    }

    @Override
    public long getLastAccessedTime() {
        return lastAccessedTime;
    }

    /**
     * The session was just used to set up a connection. As in the JDK, records do not count as
     * access: a clock read and a volatile write per record would be waste on the hot path.
     */
    void touch() {
        lastAccessedTime = System.currentTimeMillis();
    }

    @Override
    public void invalidate() {
        valid = false;
        if (context instanceof TlsSessionContext c) {
            c.invalidate(this);
        }
    }

    /** Whether this connection resumed an earlier session (RFC 8446 2.2, RFC 5246 7.3) instead of a full handshake. */
    public boolean isResumed() {
        return resumed;
    }

    /** The session is known by this ID (a TLS 1.2 server's), when it has one of 1 to 32 bytes. */
    void useId(byte[] sessionId) {
        if (sessionId.length > 0 && sessionId.length <= 32) {
            id = sessionId.clone();
        }
    }

    /** The handshake resumed the session with this ID, whose peer authenticated with {@code peerChain} (null: none). */
    void resumed(byte[] originalId, X509Certificate[] peerChain) {
        if (originalId.length > 0 && originalId.length <= 32) {
            id = originalId.clone();
        }
        if (peerChain != null) {
            setPeerCertificates(peerChain);
        }
        resumed = true;
    }

    @Override
    public boolean isValid() {
        return valid && suite != null;
    }

    @Override
    public void putValue(String name, Object value) {
        if (name == null || value == null) {
            throw new IllegalArgumentException("null name or value");
        }
        Object old = values.put(name, value);
        if (old instanceof SSLSessionBindingListener l) {
            l.valueUnbound(new SSLSessionBindingEvent(this, name));
        }
        if (value instanceof SSLSessionBindingListener l) {
            l.valueBound(new SSLSessionBindingEvent(this, name));
        }
    }

    @Override
    public Object getValue(String name) {
        if (name == null) {
            throw new IllegalArgumentException("null name");
        }
        return values.get(name);
    }

    @Override
    public void removeValue(String name) {
        if (name == null) {
            throw new IllegalArgumentException("null name");
        }
        Object old = values.remove(name);
        if (old instanceof SSLSessionBindingListener l) {
            l.valueUnbound(new SSLSessionBindingEvent(this, name));
        }
    }

    @Override
    public String[] getValueNames() {
        return values.keySet().toArray(new String[0]);
    }

    @Override
    public Certificate[] getPeerCertificates() throws SSLPeerUnverifiedException {
        X509Certificate[] c = peerCertificates;
        if (c == null) {
            throw new SSLPeerUnverifiedException("peer not authenticated");
        }
        return c.clone();
    }

    @Override
    public Certificate[] getLocalCertificates() {
        X509Certificate[] c = localCertificates;
        return c == null ? null : c.clone();
    }

    @Override
    public Principal getPeerPrincipal() throws SSLPeerUnverifiedException {
        X509Certificate[] c = peerCertificates;
        if (c == null) {
            throw new SSLPeerUnverifiedException("peer not authenticated");
        }
        return c[0].getSubjectX500Principal();
    }

    @Override
    public Principal getLocalPrincipal() {
        X509Certificate[] c = localCertificates;
        return c == null ? null : c[0].getSubjectX500Principal();
    }

    @Override
    public String getCipherSuite() {
        String s = suite;
        return s == null ? "SSL_NULL_WITH_NULL_NULL" : s;
    }

    @Override
    public String getProtocol() {
        return protocol;
    }

    @Override
    public String getPeerHost() {
        return peerHost;
    }

    @Override
    public int getPeerPort() {
        return peerPort;
    }

    @Override
    public int getPacketBufferSize() {
        return PACKET_BUFFER_SIZE;
    }

    @Override
    public int getApplicationBufferSize() {
        return APPLICATION_BUFFER_SIZE;
    }

    @Override
    public String[] getLocalSupportedSignatureAlgorithms() {
        return localSignatureAlgorithms.clone();
    }

    @Override
    public String[] getPeerSupportedSignatureAlgorithms() {
        return peerSignatureAlgorithms.clone();
    }

    @Override
    public List<SNIServerName> getRequestedServerNames() {
        return requestedServerNames;
    }

    @Override
    public List<byte[]> getStatusResponses() {
        return Collections.emptyList();
    }

    @Override
    public String toString() {
        return "TlsSession[" + getProtocol() + ", " + getCipherSuite() + "]";
    }
}
