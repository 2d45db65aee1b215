package io.tlsaccel.bench.load;

import io.tlsaccel.bench.tls.TlsFixtures;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server side of the load and soak runs, in its own JVM so its memory is its own: a TLS
 * echo server (a thread per connection over the implementation's own SSLServerSocket) that
 * answers each request (4-byte length, then that many bytes) with the same bytes. It prints
 * {@code PORT n} once listening, then answers commands on standard input with one
 * {@code STAT ...} line: {@code stat}, {@code gc} (collects garbage first, so engines that are
 * gone are counted as gone) and {@code quit}.
 */
public final class LoadServer {
    private static final AtomicInteger OPEN = new AtomicInteger();
    private static final AtomicLong ACCEPTED = new AtomicLong();
    private static final AtomicLong ERRORS = new AtomicLong();
    private static final AtomicLong EXCHANGES = new AtomicLong();

    private LoadServer() {
    }

    public static void main(String[] args) throws Exception {
        String impl = args.length > 0 ? args[0] : "tlsaccel";
        ServerSocket server = TlsFixtures.contexts(impl).server().getServerSocketFactory()
                .createServerSocket(0, 4096, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> accept(server), "accept");
        acceptor.setDaemon(true);
        acceptor.start();
        System.out.println("PORT " + server.getLocalPort());
        System.out.flush();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String line;
        while ((line = commands.readLine()) != null) {
            switch (line.trim()) {
                case "gc":
                    for (int i = 0; i < 3; i++) {
                        System.gc();
                        Thread.sleep(200); // lets Cleaners free what the collector found
                    }
                    stat();
                    break;
                case "quit":
                    server.close();
                    stat();
                    return;
                default:
                    stat();
            }
        }
    }

    private static void accept(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                ACCEPTED.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    ERRORS.incrementAndGet();
                }
            }
        }
    }

    private static void serve(Socket s) {
        OPEN.incrementAndGet();
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            byte[] buf = new byte[64 * 1024];
            while (true) {
                int n;
                try {
                    n = in.readInt();
                } catch (EOFException closedByClient) {
                    return;
                }
                if (n < 0 || n > buf.length) {
                    ERRORS.incrementAndGet();
                    return;
                }
                in.readFully(buf, 0, n);
                out.writeInt(n);
                out.write(buf, 0, n);
                out.flush();
                EXCHANGES.incrementAndGet();
            }
        } catch (IOException e) {
            ERRORS.incrementAndGet();
        } finally {
            OPEN.decrementAndGet();
        }
    }

    private static void stat() {
        System.out.println("STAT open=" + OPEN.get() + " accepted=" + ACCEPTED.get() + " exchanges=" + EXCHANGES.get()
                + " errors=" + ERRORS.get() + " rssKiB=" + rssKiB() + " heapUsedKiB="
                + (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1024
                + " nativeContexts=" + nativeContexts());
        System.out.flush();
    }

    /** Resident memory of this process (Linux), -1 elsewhere. */
    static long rssKiB() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Live native contexts (keys held by the C layer), -1 where the library does not say. */
    static long nativeContexts() {
        try {
            Method m = Class.forName("io.tlsaccel.nativelib.NativeLoader").getMethod("liveContexts");
            return ((Number) m.invoke(null)).longValue();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }
}
