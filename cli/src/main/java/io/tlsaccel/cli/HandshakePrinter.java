package io.tlsaccel.cli;

import io.tlsaccel.socket.EngineSocket;
import io.tlsaccel.tls.engine.HandshakeObserver;
import io.tlsaccel.tls.engine.TlsEngine;
import io.tlsaccel.tls.message.HandshakeType;
import java.io.PrintStream;
import java.net.Socket;

/** Prints each handshake step with the time since the start, for {@code client -v} and {@code demo}. */
final class HandshakePrinter implements HandshakeObserver {

    private final String side;
    private final PrintStream out;
    private final long start;
    private volatile boolean tls12Steps;
    private long last;

    /** Numbers the TLS 1.2 steps once the handshake turns out to be TLS 1.2. */
    HandshakePrinter(String side, PrintStream out, long start) {
        this(side, out, start, false);
    }

    /** With {@code tls12Steps}, lines carry the number of the TLS 1.2 step they belong to. */
    HandshakePrinter(String side, PrintStream out, long start, boolean tls12Steps) {
        this.side = side;
        this.out = out;
        this.start = start;
        this.last = start;
        this.tls12Steps = tls12Steps;
    }

    /**
     * The classic TLS 1.2 handshake in ten steps, as users describe it (RFC 5246 7.3):
     * which message or check is which step, seen from the side that acts.
     */
    private String step(boolean outbound, int type) {
        if (!tls12Steps || !outbound) {
            return "";
        }
        boolean client = side.equals("client");
        switch (type) {
            case 1: return "step 1  (version, suites, random, extensions) ";
            case 2: return "step 2  (version, chosen suite, random) ";
            case 11: return client ? "step 5  (the client's certificate) " : "step 2  (the server's certificate) ";
            case 12: return "step 2  (ECDHE share signed with the certificate key) ";
            case 13: return "step 2  (asks for a client certificate) ";
            case 14: return "step 2  (done) ";
            case 16: return "step 4  (pre-master secret / key share) ";
            case 15: return "step 5  (signature over the handshake so far) ";
            case 20: return client ? "step 8  " : "step 9  ";
            default: return "";
        }
    }

    private String step(String event) {
        if (!tls12Steps) {
            return "";
        }
        if (event.startsWith("server certificate")) {
            return "step 3  ";
        }
        if (event.startsWith("client certificate") && event.contains("accepted")
                || event.startsWith("client signature") || event.startsWith("pre-master secret received")) {
            return "step 6  ";
        }
        if (event.startsWith("master secret")) {
            return "step 6-7  ";
        }
        if (event.contains("ChangeCipherSpec")) { // the client's is step 8, the server's step 9
            boolean clientsCcs = side.equals("client") == event.contains("sent");
            return clientsCcs ? "step 8  " : "step 9  ";
        }
        return "";
    }

    /** Watches the socket's engine if it is ours; returns whether it could. */
    static boolean attach(Socket socket, HandshakePrinter printer) {
        if (socket instanceof EngineSocket es && es.engine() instanceof TlsEngine engine) {
            engine.setHandshakeObserver(printer);
            return true;
        }
        return false;
    }

    @Override
    public void message(boolean outbound, int type, int length) {
        line(step(outbound, type) + (outbound ? "sends    " : "receives ") + HandshakeType.name(type)
                + " (" + length + " bytes)");
    }

    @Override
    public void event(String description) {
        if (description.startsWith("server chose TLS 1.2") || description.startsWith("TLS 1.2 negotiated")) {
            tls12Steps = true;
        }
        line("  " + step(description) + description);
    }

    private void line(String what) {
        long now = System.nanoTime();
        synchronized (out) {
            out.printf("[%8.3f ms +%7.3f] %-6s %s%n", (now - start) / 1e6, (now - last) / 1e6, side, what);
        }
        last = now;
    }
}
