package io.tlsaccel.cli;

import java.nio.file.Path;
import io.tlsaccel.tls.ticket.TicketKeyFile;
import io.tlsaccel.tls.engine.TlsSessionContext;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code server}: HTTPS (or raw echo) on loopback, many connections at once, clean stop on Ctrl-C. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Serve HTTPS (a short page) or echo raw bytes over TLS.")
final class ServerCommand implements Callable<Integer> {

    private static final int MAX_HEAD = 16 * 1024;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8443", description = "Port (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--echo", description = "Echo raw bytes instead of answering HTTP.")
    boolean echo;

    @Option(names = "--ticket-keys", paramLabel = "FILE", description = "Seal session tickets with the keys in FILE "
            + "(made and rotated by the ticket-keys command; read again when it changes), so that every server sharing "
            + "the file resumes the others' sessions. Default: keys made in memory, rotating daily.")
    Path ticketKeys;

    @Option(names = "--need-client-auth", description = "Require a client certificate (checked against --ca, --crl).")
    boolean needClientAuth;

    @Option(names = "--want-client-auth", description = "Ask for a client certificate but accept none.")
    boolean wantClientAuth;

    @Mixin
    TlsOptions tls;

    @Spec
    CommandSpec spec;

    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile ServerSocket listening;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<Pki.Identity> ids = tls.identities();
        if (ids.isEmpty()) {
            Pki.Identity self = Pki.selfSigned("localhost", "localhost", "127.0.0.1");
            ids = List.of(self);
            out.println("no --cert given: using a fresh self-signed ECDSA P-256 certificate for localhost");
            out.println("SHA-256 fingerprint: " + Pki.fingerprint(self.leaf()));
        }
        if ((needClientAuth || wantClientAuth) && tls.cas.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--need-client-auth/--want-client-auth need --ca to check client certificates");
        }
        TrustManager[] tm = tls.cas.isEmpty() ? null : Pki.trustManagers(tls.anchors(), tls.revocations());
        SSLContext ctx = tls.context(Pki.keyManagers(ids), tm);
        if (ticketKeys != null) {
            if (!(ctx.getServerSessionContext() instanceof TlsSessionContext sessions)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--ticket-keys needs the TlsAccel provider");
            }
            sessions.setTicketKeys(TicketKeyFile.watch(ticketKeys));
            out.println("session tickets sealed with the keys in " + ticketKeys + " (re-read when it changes)");
        }

        SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory()
                .createServerSocket(port, 128, InetAddress.getByName(host));
        SSLParameters p = server.getSSLParameters();
        tls.apply(p);
        if (needClientAuth) {
            p.setNeedClientAuth(true);
        } else if (wantClientAuth) {
            p.setWantClientAuth(true);
        }
        server.setSSLParameters(p);
        out.printf("listening on %s://%s:%d/ (%s, backend %s)%n", echo ? "tls" : "https", host,
                server.getLocalPort(), tls.provider, Backends.selected().implementation(AeadAlgorithm.AES_128_GCM));
        out.flush();
        // Published only after the line above is out: whoever waits on boundPort() (a script, a
        // test) may rely on "listening on" having been printed.
        listening = server;

        Thread hook = new Thread(this::stop, "tlsaccel-server-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tlsaccel-conn");
            t.setDaemon(true);
            return t;
        });
        try {
            while (!server.isClosed()) {
                Socket s;
                try {
                    s = server.accept();
                } catch (SocketException closed) {
                    break;
                }
                open.add(s);
                pool.submit(() -> serve(s));
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(5, TimeUnit.SECONDS);
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is what stopped us
            }
        }
        out.println("stopped");
        out.flush();
        return 0;
    }

    /** Closes the listening socket and every connection; returns when the accept loop is done. */
    void stop() {
        try {
            ServerSocket s = listening;
            if (s != null) {
                s.close();
            }
            for (Socket c : open) {
                c.close();
            }
            stopped.await(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException ignored) {
            // stopping anyway
        }
    }

    /** The port actually bound (after {@code --port 0}); -1 before listening. */
    int boundPort() {
        ServerSocket s = listening;
        return s == null ? -1 : s.getLocalPort();
    }

    private void serve(Socket s) {
        try (s) {
            if (echo) {
                s.getInputStream().transferTo(s.getOutputStream());
            } else {
                serveHttp((SSLSocket) s);
            }
        } catch (IOException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("connection from " + s.getRemoteSocketAddress() + ": " + e.getMessage());
            err.flush();
        } finally {
            open.remove(s);
        }
    }

    /** HTTP/1.x: reads each whole request head (and any body), answers 200 with a short page. */
    private static void serveHttp(SSLSocket s) throws IOException {
        serveHttp(new BufferedInputStream(s.getInputStream()), s.getOutputStream(), s::getSession);
    }

    /**
     * The request loop over any streams. Each answer goes out in one write, so in one TLS
     * record where it fits: a client that reads one record gets head and body together.
     * HTTP/1.0 requests are answered as HTTP/1.0 and the connection closes (RFC 9112 9.3).
     */
    static void serveHttp(InputStream in, OutputStream out, java.util.function.Supplier<SSLSession> sessions) throws IOException {
        while (true) {
            String head = readHead(in);
            if (head == null) {
                return; // the client is done
            }
            String lower = head.toLowerCase(Locale.ROOT);
            long bodyLength = headerValue(lower, "content-length");
            if (bodyLength > 0) {
                in.skipNBytes(bodyLength);
            }
            String requestLine = lower.lines().findFirst().orElse("").trim();
            boolean http10 = requestLine.endsWith("http/1.0");
            boolean close = http10 || lower.contains("\nconnection: close");
            SSLSession session = sessions.get();
            String page = "<!doctype html><title>tlsaccel</title><h1>Hello over " + session.getProtocol() + "</h1>"
                    + "<p>cipher suite " + session.getCipherSuite() + "; record crypto "
                    + Backends.selected().implementation(AeadAlgorithm.AES_128_GCM) + "</p>\n";
            byte[] body = page.getBytes(StandardCharsets.UTF_8);
            byte[] responseHead = ((http10 ? "HTTP/1.0" : "HTTP/1.1") + " 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: " + (close ? "close" : "keep-alive") + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] response = java.util.Arrays.copyOf(responseHead, responseHead.length + body.length);
            System.arraycopy(body, 0, response, responseHead.length, body.length);
            out.write(response);
            out.flush();
            if (close) {
                return;
            }
        }
    }

    /**
     * The request head up to the empty line, or null at a clean end of stream. A line ends at
     * LF, with any CR before it ignored (RFC 9112 2.2 lets a recipient accept a bare LF).
     */
    static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int lineLength = 0; // characters on the current line, CRs not counted
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (sb.length() == 0) {
                    return null;
                }
                throw new IOException("connection closed inside a request head");
            }
            if (c == '\r') {
                continue;
            }
            sb.append((char) c);
            if (sb.length() > MAX_HEAD) {
                throw new IOException("request head longer than " + MAX_HEAD + " bytes");
            }
            if (c != '\n') {
                lineLength++;
            } else if (lineLength == 0 && sb.length() > 1) {
                return sb.toString();
            } else if (lineLength == 0) {
                sb.setLength(0); // RFC 9112 2.2: ignore empty lines before the request line
            } else {
                lineLength = 0;
            }
        }
    }

    private static long headerValue(String lowerHead, String name) {
        int i = lowerHead.indexOf("\n" + name + ":");
        if (i < 0) {
            return -1;
        }
        int start = i + name.length() + 2;
        int end = lowerHead.indexOf('\n', start);
        try {
            return Long.parseLong(lowerHead.substring(start, end < 0 ? lowerHead.length() : end).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
