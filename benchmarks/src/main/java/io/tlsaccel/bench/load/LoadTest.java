package io.tlsaccel.bench.load;

import io.tlsaccel.bench.tls.TlsFixtures;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Load and soak runs against a {@link LoadServer} in its own JVM, for our engine and for
 * SunJSSE in turn, with the server's resident memory and live native contexts sampled before,
 * during and after:
 * <ul>
 * <li>hold: {@code --connections} TLS connections open at once, each doing a request/response
 *     exchange every {@code --interval-ms}, for {@code --hold-seconds};
 * <li>soak: {@code --workers} threads churning connect/handshake/transfer/close for
 *     {@code --soak-seconds}, memory sampled every {@code --sample-seconds}.
 * </ul>
 * Writes {@code benchmarks/target/load/report.md}. Exits 1 if any run saw an error.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.tlsaccel.bench.load.LoadTest --hold-seconds 60 --soak-seconds 600</pre>
 */
public final class LoadTest {

    private record Options(int connections, int holdSeconds, int intervalMs, int workers, int soakSeconds,
            int sampleSeconds, int size, List<String> impls) {
    }

    private LoadTest() {
    }

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        StringBuilder report = new StringBuilder("# Load and soak\n\n");
        report.append(String.format("JDK %s; %d connections held %d s (an exchange of %d B every %d ms each); soak: %d workers for %d s.%n%n",
                Runtime.version(), o.connections(), o.holdSeconds(), o.size(), o.intervalMs(), o.workers(), o.soakSeconds()));
        boolean failed = false;
        for (String impl : o.impls()) {
            report.append("## ").append(impl).append("\n\n| when | open | exchanges | errors | RSS MiB | native contexts |\n|---|---:|---:|---:|---:|---:|\n");
            try (Server server = Server.start(impl)) {
                row(report, "idle, before", server.command("gc"));
                long clientErrors = hold(o, impl, server, report);
                row(report, "after hold, engines collected", server.command("gc"));
                clientErrors += soak(o, impl, server, report);
                String end = server.command("gc");
                row(report, "after soak, engines collected", end);
                report.append("\nclient-side errors: ").append(clientErrors).append("\n\n");
                failed |= clientErrors > 0 || !field(end, "errors").equals("0");
            }
        }
        Path out = Path.of("benchmarks/target/load/report.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
        System.out.println("report: " + out.toAbsolutePath());
        System.exit(failed ? 1 : 0);
    }

    private static long hold(Options o, String impl, Server server, StringBuilder report) throws Exception {
        SSLContext client = clientContext(impl);
        AtomicLong errors = new AtomicLong();
        AtomicLong exchanges = new AtomicLong();
        CountDownLatch allOpen = new CountDownLatch(o.connections());
        CountDownLatch go = new CountDownLatch(1);
        long[] deadline = new long[1]; // written before go opens, read after
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < o.connections(); i++) {
            Thread t = new Thread(() -> {
                boolean counted = false;
                try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", server.port)) {
                    s.startHandshake();
                    allOpen.countDown();
                    counted = true;
                    go.await();
                    Exchanger ex = new Exchanger(s, o.size());
                    do { // every connection exchanges at least once, however late it opened
                        ex.exchange();
                        exchanges.incrementAndGet();
                        Thread.sleep(o.intervalMs());
                    } while (System.nanoTime() < deadline[0]);
                } catch (Exception e) {
                    if (errors.incrementAndGet() == 1) {
                        System.err.println("hold: first error: " + e);
                    }
                    if (!counted) {
                        allOpen.countDown();
                    }
                }
            }, "hold");
            t.start();
            threads.add(t);
        }
        long opening = System.nanoTime();
        allOpen.await(300, TimeUnit.SECONDS);
        System.err.printf("hold: %d connections opened in %.1f s%n", o.connections(), (System.nanoTime() - opening) / 1e9);
        deadline[0] = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.holdSeconds());
        go.countDown();
        Thread.sleep(Math.min(10_000, o.holdSeconds() * 500L));
        row(report, o.connections() + " connections open, exchanging", server.command("stat"));
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(o.holdSeconds() + 120));
        }
        Thread.sleep(500);
        row(report, "hold over: " + exchanges.get() + " exchanges", server.command("stat"));
        return errors.get();
    }

    private static long soak(Options o, String impl, Server server, StringBuilder report) throws Exception {
        SSLContext client = clientContext(impl);
        AtomicLong errors = new AtomicLong();
        AtomicLong handshakes = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(o.soakSeconds());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < o.workers(); i++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", server.port)) {
                        Exchanger ex = new Exchanger(s, o.size());
                        ex.exchange();
                        ex.exchange();
                        handshakes.incrementAndGet();
                    } catch (Exception e) {
                        if (errors.incrementAndGet() == 1) {
                            System.err.println("soak: first error: " + e);
                        }
                    }
                }
            }, "soak");
            t.start();
            threads.add(t);
        }
        long next = start + TimeUnit.SECONDS.toNanos(o.sampleSeconds());
        while (System.nanoTime() < deadline) {
            long sleep = Math.min(next, deadline) - System.nanoTime();
            if (sleep > 0) {
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(sleep) + 1);
            }
            if (System.nanoTime() >= next && System.nanoTime() < deadline) {
                long s = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                row(report, "soak " + s + " s, " + handshakes.get() + " connections so far", server.command("stat"));
                next += TimeUnit.SECONDS.toNanos(o.sampleSeconds());
            }
        }
        for (Thread t : threads) {
            t.join(60_000);
        }
        row(report, "soak over: " + handshakes.get() + " connections, "
                + handshakes.get() / Math.max(1, o.soakSeconds()) + "/s", server.command("stat"));
        return errors.get();
    }

    /**
     * The client side of one implementation. The server runs in another JVM with its own test
     * CA, so the client takes whatever certificate it is shown: these runs measure the server.
     */
    private static SSLContext clientContext(String impl) throws Exception {
        SSLContext c = SSLContext.getInstance("TLS", TlsFixtures.contexts(impl).client().getProvider());
        c.init(null, new javax.net.ssl.TrustManager[] {new TrustingEveryServer()}, new java.security.SecureRandom());
        return c;
    }

    private static final class TrustingEveryServer extends javax.net.ssl.X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType, java.net.Socket s) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType, java.net.Socket s) {
        }

        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine e) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine e) {
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
        }
    }

    /** One request/response of {@code size} random bytes, checked. */
    private static final class Exchanger {
        private final DataInputStream in;
        private final DataOutputStream out;
        private final byte[] request;
        private final byte[] response;

        Exchanger(SSLSocket s, int size) throws IOException {
            in = new DataInputStream(s.getInputStream());
            out = new DataOutputStream(s.getOutputStream());
            request = new byte[size];
            new Random().nextBytes(request);
            response = new byte[size];
        }

        void exchange() throws IOException {
            out.writeInt(request.length);
            out.write(request);
            out.flush();
            if (in.readInt() != request.length) {
                throw new IOException("wrong length back");
            }
            in.readFully(response);
            if (!java.util.Arrays.equals(request, response)) {
                throw new IOException("wrong bytes back");
            }
        }
    }

    /** The server JVM, driven through its standard input. */
    private static final class Server implements AutoCloseable {
        final Process process;
        final BufferedReader out;
        final Writer in;
        final int port;

        private Server(Process process) throws IOException {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
            this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
            String first = out.readLine();
            if (first == null || !first.startsWith("PORT ")) {
                throw new IOException("server did not start: " + first);
            }
            port = Integer.parseInt(first.substring(5).trim());
        }

        static Server start(String impl) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g", "-Xss512k"));
            if (Runtime.version().feature() >= 22) {
                cmd.add("--enable-native-access=ALL-UNNAMED");
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), LoadServer.class.getName(), impl));
            return new Server(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }

        String command(String c) throws IOException {
            in.write(c + "\n");
            in.flush();
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("STAT ")) {
                    return line;
                }
            }
            throw new IOException("server ended");
        }

        @Override
        public void close() throws Exception {
            try {
                command("quit");
            } catch (IOException ignored) {
                // already gone
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static void row(StringBuilder report, String when, String stat) {
        long rss = Long.parseLong(field(stat, "rssKiB"));
        report.append(String.format("| %s | %s | %s | %s | %.1f | %s |%n", when, field(stat, "open"), field(stat, "exchanges"),
                field(stat, "errors"), rss / 1024.0, field(stat, "nativeContexts").equals("-1") ? "n/a" : field(stat, "nativeContexts")));
        System.out.println(when + ": " + stat);
    }

    private static String field(String stat, String name) {
        for (String part : stat.split(" ")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        return "?";
    }

    private static Options parse(String[] args) {
        int connections = 1000;
        int hold = 60;
        int interval = 100;
        int workers = 16;
        int soak = 600;
        int sample = 30;
        int size = 1024;
        List<String> impls = List.of("tlsaccel", "sunjsse");
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--connections": connections = Integer.parseInt(v); break;
                case "--hold-seconds": hold = Integer.parseInt(v); break;
                case "--interval-ms": interval = Integer.parseInt(v); break;
                case "--workers": workers = Integer.parseInt(v); break;
                case "--soak-seconds": soak = Integer.parseInt(v); break;
                case "--sample-seconds": sample = Integer.parseInt(v); break;
                case "--size": size = Integer.parseInt(v); break;
                case "--impls": impls = List.of(v.split(",")); break;
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return new Options(connections, hold, interval, workers, soak, sample, size, impls);
    }
}
