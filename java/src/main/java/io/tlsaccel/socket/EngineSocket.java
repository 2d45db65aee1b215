package io.tlsaccel.socket;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import javax.net.ssl.HandshakeCompletedEvent;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A blocking {@link SSLSocket} over any {@link SSLEngine}, layered on a connected plain
 * socket, so socket-based code (HttpsURLConnection, simple servers) can use our engine.
 *
 * <p>One lock guards reading (unwrap) and one writing (wrap), so a reader thread and a
 * writer thread can work at once, as with the JDK's sockets. The handshake runs on the
 * first read, write or {@link #startHandshake()}.
 */
public final class EngineSocket extends SSLSocket {

    private final Socket socket;
    private final boolean autoClose;
    private final SSLEngine engine;
    private final InputStream rawIn;
    private final OutputStream rawOut;

    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ByteBuffer netIn;
    private final ByteBuffer netOut;
    private ByteBuffer appIn;
    private final List<HandshakeCompletedListener> listeners = new CopyOnWriteArrayList<>();

    private volatile boolean handshakeDone;
    private volatile boolean closed;
    private boolean inboundDone;
    /**
     * The failure that ended the inbound side (truncation, a bad record, a fatal alert): every
     * later read fails the same way instead of looking like a clean end of stream.
     */
    private SSLException readFailure;

    private final InputStream in = new AppInput();
    private final OutputStream out = new AppOutput();

    /**
     * Wraps a connected socket.
     *
     * @param engines makes the engine for the peer's host and port
     */
    EngineSocket(Socket socket, boolean autoClose, boolean clientMode, String peerHost,
                 BiFunction<String, Integer, SSLEngine> engines) throws IOException {
        this.socket = socket;
        this.autoClose = autoClose;
        this.engine = engines.apply(peerHost, socket.getPort());
        this.engine.setUseClientMode(clientMode);
        this.rawIn = socket.getInputStream();
        this.rawOut = socket.getOutputStream();
        SSLSession s = engine.getSession();
        this.netIn = ByteBuffer.allocate(s.getPacketBufferSize());
        this.netOut = ByteBuffer.allocate(s.getPacketBufferSize());
        this.appIn = ByteBuffer.allocate(s.getApplicationBufferSize());
        this.appIn.flip();
    }

    /** The engine underneath (for tests and diagnostics). */
    public SSLEngine engine() {
        return engine;
    }

    @Override
    public void startHandshake() throws IOException {
        if (handshakeDone) {
            return;
        }
        readLock.lock();
        try {
            writeLock.lock();
            try {
                if (!handshakeDone) {
                    runHandshake();
                }
            } finally {
                writeLock.unlock();
            }
        } finally {
            readLock.unlock();
        }
    }

    /** Drives the engine until the handshake has finished. Both locks held. */
    private void runHandshake() throws IOException {
        engine.beginHandshake();
        HandshakeStatus hs = engine.getHandshakeStatus();
        while (hs != HandshakeStatus.FINISHED && hs != HandshakeStatus.NOT_HANDSHAKING) {
            switch (hs) {
                case NEED_WRAP:
                    hs = wrapAndFlush(ByteBuffer.allocate(0)).getHandshakeStatus();
                    break;
                case NEED_UNWRAP:
                case NEED_UNWRAP_AGAIN:
                    SSLEngineResult r = unwrapOnce();
                    if (r == null) {
                        throw new EOFException("connection closed during the TLS handshake");
                    }
                    hs = r.getHandshakeStatus();
                    break;
                case NEED_TASK:
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                    hs = engine.getHandshakeStatus();
                    break;
                default:
                    throw new SSLException("unexpected handshake status " + hs);
            }
            if (engine.isOutboundDone() && engine.isInboundDone()) {
                throw new SSLException("connection closed during the TLS handshake");
            }
        }
        handshakeDone = true;
        if (!listeners.isEmpty()) {
            HandshakeCompletedEvent event = new HandshakeCompletedEvent(this, engine.getSession());
            for (HandshakeCompletedListener l : listeners) {
                l.handshakeCompleted(event);
            }
        }
    }

    /** Wraps src (possibly empty) and writes what the engine produced. Write lock held. */
    private SSLEngineResult wrapAndFlush(ByteBuffer src) throws IOException {
        netOut.clear();
        SSLEngineResult r = engine.wrap(src, netOut);
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            throw new SSLException("engine needs more than its packet buffer size");
        }
        netOut.flip();
        if (netOut.hasRemaining()) {
            rawOut.write(netOut.array(), netOut.arrayOffset() + netOut.position(), netOut.remaining());
            rawOut.flush();
        }
        return r;
    }

    /**
     * Unwraps one record into appIn (which must be drained), reading from the socket as
     * needed. Returns null at end of stream. Read lock held.
     */
    private SSLEngineResult unwrapOnce() throws IOException {
        while (true) {
            netIn.flip();
            appIn.compact();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                appIn.flip();
                netIn.compact();
            }
            switch (r.getStatus()) {
                case OK:
                case CLOSED:
                    if (r.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && handshakeDone) {
                        // a reply the engine owes (KeyUpdate, close_notify): send it now
                        writeLock.lock();
                        try {
                            wrapAndFlush(ByteBuffer.allocate(0));
                        } finally {
                            writeLock.unlock();
                        }
                    }
                    return r;
                case BUFFER_OVERFLOW:
                    ByteBuffer bigger = ByteBuffer.allocate(appIn.remaining() + engine.getSession().getApplicationBufferSize());
                    bigger.put(appIn).flip();
                    appIn = bigger;
                    break;
                case BUFFER_UNDERFLOW:
                    if (!netIn.hasRemaining()) {
                        throw new SSLException("record larger than the packet buffer");
                    }
                    int n = rawIn.read(netIn.array(), netIn.arrayOffset() + netIn.position(), netIn.remaining());
                    if (n < 0) {
                        try {
                            engine.closeInbound(); // throws if the peer did not send close_notify
                        } catch (SSLException truncated) {
                            if (handshakeDone) {
                                throw truncated;
                            }
                        }
                        return null;
                    }
                    netIn.position(netIn.position() + n);
                    break;
                default:
                    throw new SSLException("unexpected unwrap status " + r.getStatus());
            }
        }
    }

    private final class AppInput extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            startHandshake();
            readLock.lock();
            try {
                while (!appIn.hasRemaining()) {
                    if (readFailure != null) {
                        throw new SSLException(readFailure.getMessage(), readFailure);
                    }
                    if (inboundDone || closed) {
                        return -1;
                    }
                    SSLEngineResult r;
                    try {
                        r = unwrapOnce();
                    } catch (SSLException e) {
                        readFailure = e;
                        throw e;
                    }
                    if (r == null || r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        inboundDone = true;
                    }
                }
                int n = Math.min(len, appIn.remaining());
                appIn.get(b, off, n);
                return n;
            } finally {
                readLock.unlock();
            }
        }

        @Override
        public int available() {
            return appIn.remaining();
        }

        @Override
        public void close() throws IOException {
            EngineSocket.this.close();
        }
    }

    private final class AppOutput extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            startHandshake();
            writeLock.lock();
            try {
                ByteBuffer src = ByteBuffer.wrap(b, off, len);
                while (src.hasRemaining()) {
                    if (closed || engine.isOutboundDone()) {
                        throw new SocketException("socket is closed");
                    }
                    SSLEngineResult r = wrapAndFlush(src);
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SocketException("TLS connection closed");
                    }
                }
            } finally {
                writeLock.unlock();
            }
        }

        @Override
        public void close() throws IOException {
            EngineSocket.this.close();
        }
    }

    @Override
    public InputStream getInputStream() throws IOException {
        if (closed) {
            throw new SocketException("socket is closed");
        }
        return in;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        if (closed) {
            throw new SocketException("socket is closed");
        }
        return out;
    }

    /** Sends close_notify (best effort) and closes the socket underneath if we own it. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (writeLock.tryLock()) {
                try {
                    engine.closeOutbound();
                    while (!engine.isOutboundDone()) {
                        SSLEngineResult r = wrapAndFlush(ByteBuffer.allocate(0));
                        if (r.bytesProduced() == 0) {
                            break;
                        }
                    }
                } finally {
                    writeLock.unlock();
                }
            }
        } catch (IOException ignored) {
            // the peer may be gone already; closing goes on
        } finally {
            if (autoClose) {
                socket.close();
            }
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    // ---- SSLSocket configuration, all forwarded to the engine ----

    @Override
    public String[] getSupportedCipherSuites() {
        return engine.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return engine.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        engine.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
        return engine.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return engine.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        engine.setEnabledProtocols(protocols);
    }

    @Override
    public SSLSession getSession() {
        try {
            startHandshake();
        } catch (IOException e) {
            return engine.getSession(); // the JDK returns an invalid session here too
        }
        return engine.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return engine.getHandshakeSession();
    }

    @Override
    public String getApplicationProtocol() {
        return engine.getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        return engine.getHandshakeApplicationProtocol();
    }

    @Override
    public void addHandshakeCompletedListener(HandshakeCompletedListener listener) {
        listeners.add(java.util.Objects.requireNonNull(listener));
    }

    @Override
    public void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {
        if (!listeners.remove(listener)) {
            throw new IllegalArgumentException("listener not registered");
        }
    }

    @Override
    public void setUseClientMode(boolean mode) {
        engine.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return engine.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        engine.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return engine.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        engine.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return engine.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        engine.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return engine.getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return engine.getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
        engine.setSSLParameters(params);
    }

    // ---- the plain socket underneath ----

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        throw new SocketException("already connected");
    }

    @Override
    public boolean isConnected() {
        return socket.isConnected();
    }

    @Override
    public boolean isBound() {
        return socket.isBound();
    }

    @Override
    public InetAddress getInetAddress() {
        return socket.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return socket.getLocalAddress();
    }

    @Override
    public int getPort() {
        return socket.getPort();
    }

    @Override
    public int getLocalPort() {
        return socket.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return socket.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return socket.getLocalSocketAddress();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        socket.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return socket.getSoTimeout();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        socket.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return socket.getTcpNoDelay();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        socket.setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return socket.getKeepAlive();
    }

    @Override
    public void shutdownInput() throws IOException {
        throw new UnsupportedOperationException("shutdownInput is not supported on a TLS socket");
    }

    /** Half-close: sends close_notify and keeps reading (RFC 8446 6.1 allows the peer to go on). */
    @Override
    public void shutdownOutput() throws IOException {
        startHandshake();
        writeLock.lock();
        try {
            engine.closeOutbound();
            while (!engine.isOutboundDone()) {
                if (wrapAndFlush(ByteBuffer.allocate(0)).bytesProduced() == 0) {
                    break;
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public boolean isOutputShutdown() {
        return engine.isOutboundDone();
    }

    @Override
    public String toString() {
        return "EngineSocket[" + socket + "]";
    }
}
