package io.tlsaccel.socket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.function.BiFunction;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;

/** A server socket whose accepted connections are {@link EngineSocket}s in server mode. */
public final class EngineServerSocket extends SSLServerSocket {

    private final ServerSocket server;
    private final BiFunction<String, Integer, SSLEngine> engines;
    private SSLParameters parameters;
    private boolean clientMode;
    private boolean sessionCreation = true;

    EngineServerSocket(ServerSocket server, BiFunction<String, Integer, SSLEngine> engines) throws IOException {
        this.server = server;
        this.engines = engines;
        SSLEngine probe = engines.apply(null, -1);
        probe.setUseClientMode(false);
        this.parameters = probe.getSSLParameters();
    }

    @Override
    public Socket accept() throws IOException {
        Socket plain = server.accept();
        SSLParameters p = getSSLParameters();
        boolean client = clientMode;
        boolean create = sessionCreation;
        return new EngineSocket(plain, true, client, null, (host, port) -> {
            SSLEngine e = engines.apply(host, port);
            e.setUseClientMode(client);
            e.setSSLParameters(p);
            e.setEnableSessionCreation(create);
            return e;
        });
    }

    @Override
    public synchronized SSLParameters getSSLParameters() {
        SSLParameters copy = new SSLParameters(parameters.getCipherSuites(), parameters.getProtocols());
        copy.setNeedClientAuth(parameters.getNeedClientAuth());
        if (!parameters.getNeedClientAuth()) {
            copy.setWantClientAuth(parameters.getWantClientAuth());
        }
        copy.setApplicationProtocols(parameters.getApplicationProtocols());
        copy.setEndpointIdentificationAlgorithm(parameters.getEndpointIdentificationAlgorithm());
        copy.setServerNames(parameters.getServerNames());
        copy.setSNIMatchers(parameters.getSNIMatchers());
        copy.setUseCipherSuitesOrder(parameters.getUseCipherSuitesOrder());
        copy.setAlgorithmConstraints(parameters.getAlgorithmConstraints());
        return copy;
    }

    @Override
    public synchronized void setSSLParameters(SSLParameters params) {
        this.parameters = params;
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return getSSLParameters().getCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        SSLParameters p = getSSLParameters();
        p.setCipherSuites(suites);
        setSSLParameters(p);
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return engines.apply(null, -1).getSupportedCipherSuites();
    }

    @Override
    public String[] getSupportedProtocols() {
        return engines.apply(null, -1).getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return getSSLParameters().getProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        SSLParameters p = getSSLParameters();
        p.setProtocols(protocols);
        setSSLParameters(p);
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        SSLParameters p = getSSLParameters();
        p.setNeedClientAuth(need);
        setSSLParameters(p);
    }

    @Override
    public boolean getNeedClientAuth() {
        return getSSLParameters().getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        SSLParameters p = getSSLParameters();
        p.setWantClientAuth(want);
        setSSLParameters(p);
    }

    @Override
    public boolean getWantClientAuth() {
        return getSSLParameters().getWantClientAuth();
    }

    @Override
    public synchronized void setUseClientMode(boolean mode) {
        clientMode = mode;
    }

    @Override
    public synchronized boolean getUseClientMode() {
        return clientMode;
    }

    @Override
    public synchronized void setEnableSessionCreation(boolean flag) {
        sessionCreation = flag;
    }

    @Override
    public synchronized boolean getEnableSessionCreation() {
        return sessionCreation;
    }

    // ---- the plain server socket underneath ----

    @Override
    public void bind(SocketAddress endpoint, int backlog) throws IOException {
        server.bind(endpoint, backlog);
    }

    @Override
    public InetAddress getInetAddress() {
        return server.getInetAddress();
    }

    @Override
    public int getLocalPort() {
        return server.getLocalPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return server.getLocalSocketAddress();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    @Override
    public boolean isClosed() {
        return server.isClosed();
    }

    @Override
    public boolean isBound() {
        return server.isBound();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        server.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws IOException {
        return server.getSoTimeout();
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        server.setReuseAddress(on);
    }

    @Override
    public String toString() {
        return "EngineServerSocket[" + server + "]";
    }
}
