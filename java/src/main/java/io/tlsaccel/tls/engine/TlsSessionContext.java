package io.tlsaccel.tls.engine;

import java.util.Collections;
import java.util.Enumeration;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;

/** A session context that caches nothing (resumption is not implemented yet). */
final class TlsSessionContext implements SSLSessionContext {
    private volatile int timeout = 86400;
    private volatile int size;

    @Override
    public SSLSession getSession(byte[] sessionId) {
        return null;
    }

    @Override
    public Enumeration<byte[]> getIds() {
        return Collections.emptyEnumeration();
    }

    @Override
    public void setSessionTimeout(int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("negative timeout");
        }
        timeout = seconds;
    }

    @Override
    public int getSessionTimeout() {
        return timeout;
    }

    @Override
    public void setSessionCacheSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size");
        }
        this.size = size;
    }

    @Override
    public int getSessionCacheSize() {
        return size;
    }
}
