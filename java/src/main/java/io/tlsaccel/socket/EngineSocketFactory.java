package io.tlsaccel.socket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.function.BiFunction;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;

/** Client sockets over engines made by a function of (peer host, peer port). */
public final class EngineSocketFactory extends SSLSocketFactory {

    private final BiFunction<String, Integer, SSLEngine> engines;
    private final String[] defaultSuites;
    private final String[] supportedSuites;

    public EngineSocketFactory(BiFunction<String, Integer, SSLEngine> engines) {
        this.engines = engines;
        SSLEngine probe = engines.apply(null, -1);
        this.defaultSuites = probe.getEnabledCipherSuites();
        this.supportedSuites = probe.getSupportedCipherSuites();
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return defaultSuites.clone();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return supportedSuites.clone();
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        return new EngineSocket(s, autoClose, true, host, engines);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return createSocket(new Socket(host, port), host, port, true);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return createSocket(new Socket(host, port, localHost, localPort), host, port, true);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return createSocket(new Socket(host, port), host.getHostName(), port, true);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return createSocket(new Socket(address, port, localAddress, localPort), address.getHostName(), port, true);
    }

    /** Connects with a timeout, then layers TLS on the connection. */
    public Socket connect(String host, int port, int timeoutMillis) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), timeoutMillis);
        return createSocket(s, host, port, true);
    }
}
