package io.tlsaccel.testutil;

import java.nio.ByteBuffer;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * Drives two SSLEngines against each other in memory. Exceptions are recorded per side and the
 * pump keeps going so alerts are delivered; it stops when nothing moves any more.
 */
public final class EnginePair {
    public final Side client;
    public final Side server;
    /** Optional rewrite of the bytes on the wire, client to server / server to client. */
    public UnaryOperator<ByteBuffer> clientToServer;
    public UnaryOperator<ByteBuffer> serverToClient;

    public static final class Side {
        public final SSLEngine engine;
        public final ByteBuffer net;
        public ByteBuffer app;
        public ByteBuffer toSend = ByteBuffer.allocate(0);
        public SSLException error;
        public boolean finishedSeen;

        Side(SSLEngine engine) {
            this.engine = engine;
            this.net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize() * 4);
            this.app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize() * 4);
        }

        /** The bytes received so far (and clears them). */
        public byte[] received() {
            app.flip();
            byte[] out = new byte[app.remaining()];
            app.get(out);
            app.clear();
            return out;
        }
    }

    public EnginePair(SSLEngine client, SSLEngine server) {
        this.client = new Side(client);
        this.server = new Side(server);
    }

    private static void runTasks(SSLEngine e) {
        Runnable t;
        while ((t = e.getDelegatedTask()) != null) {
            t.run();
        }
    }

    private boolean wrapAll(Side s) {
        boolean progress = false;
        for (int i = 0; i < 50; i++) {
            try {
                SSLEngineResult r = s.engine.wrap(s.toSend, s.net);
                if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runTasks(s.engine);
                    progress = true;
                    continue;
                }
                if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                    s.finishedSeen = true;
                }
                if (r.bytesProduced() > 0 || r.bytesConsumed() > 0) {
                    progress = true;
                    continue;
                }
                break;
            } catch (SSLException e) {
                if (s.error == null) {
                    s.error = e;
                }
                progress = true;
                break;
            }
        }
        return progress;
    }

    private boolean unwrapAll(Side from, Side to) {
        boolean progress = false;
        from.net.flip();
        UnaryOperator<ByteBuffer> f = from == client ? clientToServer : serverToClient;
        ByteBuffer in = from.net;
        if (f != null && in.hasRemaining()) {
            ByteBuffer copy = ByteBuffer.allocate(in.remaining());
            copy.put(in).flip();
            in.clear();
            ByteBuffer changed = f.apply(copy);
            in.put(changed).flip();
        }
        try {
            for (int i = 0; i < 200 && in.hasRemaining(); i++) {
                SSLEngineResult r;
                try {
                    r = to.engine.unwrap(in, to.app);
                } catch (SSLException e) {
                    if (to.error == null) {
                        to.error = e;
                    }
                    progress = true;
                    break;
                }
                if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runTasks(to.engine);
                }
                if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                    to.finishedSeen = true;
                }
                if (r.bytesConsumed() > 0 || r.bytesProduced() > 0) {
                    progress = true;
                }
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    ByteBuffer bigger = ByteBuffer.allocate(to.app.capacity() * 2);
                    to.app.flip();
                    bigger.put(to.app);
                    to.app = bigger;
                    continue;
                }
                if (r.getStatus() != SSLEngineResult.Status.OK || (r.bytesConsumed() == 0 && r.bytesProduced() == 0)) {
                    if (r.getHandshakeStatus() != HandshakeStatus.NEED_TASK) {
                        break;
                    }
                }
            }
        } finally {
            in.compact();
        }
        return progress;
    }

    /** Pumps until nothing moves. */
    public void pump() {
        for (int i = 0; i < 500; i++) {
            boolean p = wrapAll(client);
            p |= unwrapAll(client, server);
            p |= wrapAll(server);
            p |= unwrapAll(server, client);
            if (!p) {
                return;
            }
        }
        throw new AssertionError("engines still busy after 500 rounds");
    }

    public void handshake() throws SSLException {
        client.engine.beginHandshake();
        server.engine.beginHandshake();
        pump();
    }

    /** Sends bytes from one side and returns what the other received. */
    public byte[] send(Side from, byte[] data) {
        from.toSend = ByteBuffer.wrap(data);
        pump();
        Side to = from == client ? server : client;
        return to.received();
    }

    /** Closes both directions both ways and pumps. */
    public void closeBoth() {
        client.engine.closeOutbound();
        pump();
        server.engine.closeOutbound();
        pump();
    }
}
