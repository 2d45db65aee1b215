package io.tlsaccel.socket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.function.BiFunction;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;

/** Server sockets whose connections run over engines made by the given function. */
public final class EngineServerSocketFactory extends SSLServerSocketFactory {

    private final BiFunction<String, Integer, SSLEngine> engines;

    public EngineServerSocketFactory(BiFunction<String, Integer, SSLEngine> engines) {
        this.engines = engines;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        SSLEngine e = engines.apply(null, -1);
        e.setUseClientMode(false);
        return e.getEnabledCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return engines.apply(null, -1).getSupportedCipherSuites();
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
        return new EngineServerSocket(new ServerSocket(), engines);
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return new EngineServerSocket(new ServerSocket(port), engines);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return new EngineServerSocket(new ServerSocket(port, backlog), engines);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress ifAddress) throws IOException {
        return new EngineServerSocket(new ServerSocket(port, backlog, ifAddress), engines);
    }
}
