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
    private long last;

    HandshakePrinter(String side, PrintStream out, long start) {
        this.side = side;
        this.out = out;
        this.start = start;
        this.last = start;
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
        line((outbound ? "sends    " : "receives ") + HandshakeType.name(type) + " (" + length + " bytes)");
    }

    @Override
    public void event(String description) {
        line("  " + description);
    }

    private void line(String what) {
        long now = System.nanoTime();
        synchronized (out) {
            out.printf("[%8.3f ms +%7.3f] %-6s %s%n", (now - start) / 1e6, (now - last) / 1e6, side, what);
        }
        last = now;
    }
}
