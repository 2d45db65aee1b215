package io.tlsaccel.bench.netty;

import io.tlsaccel.bench.tls.TlsFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLSession;

/**
 * The end-to-end benchmark: our provider, SunJSSE and netty-tcnative (BoringSSL) side by side
 * in one JVM, each behind Netty 4.2's {@link io.netty.handler.ssl.SslHandler}, server and client
 * on their own event loops over TCP on 127.0.0.1. Jobs: bulk transfer (TLS 1.3, TLS 1.2),
 * sequential full handshakes, and handshakes with the client's session cache on; for each, the
 * rate and the CPU per operation of both ends. Writes {@code netty-report.md}, two SVG charts
 * and {@code netty-results.tsv}.
 *
 * <p>A plain main rather than JMH: one operation is a whole connection across two event-loop
 * threads and a socket (asynchronous, not a method call JMH could time), the CPU of both ends has
 * to be read from the threads' clocks over the window, and all three engines must run in the
 * same JVM and the same minute, taking turns, so they see the same machine.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     io.tlsaccel.bench.netty.NettyHarness [--short | --full] [--warmup S] [--measure S] [--rounds N]
 *     [--slices K] [--engines tlsaccel,sunjsse,tcnative] [--jobs bulk13,bulk12,full13,full12,resume13,resume12]
 *     [--key-manager SunX509|PKIX] [--out DIR] [--jfr DIR]
 * </pre>
 *
 * <p>In a round, every engine is set up for the job and warmed ({@code --warmup} seconds each),
 * then each is measured for {@code --measure} seconds in {@code --slices} windows, the engines
 * taking turns: on a shared machine whose speed drifts over minutes, turns keep the ratios
 * between engines steady where back-to-back runs do not. Engine {@code tlsaccel-direct} is ours
 * with {@link DirectWrapAllocator} on its channels (see there).
 *
 * <p>{@code --jfr DIR} records each measured window (not the warm-up) with JFR's "profile"
 * settings into {@code DIR/<job>-<engine>-<round>.jfr}, one window per engine and round;
 * {@link JfrJobs} reads them.
 */
public final class NettyHarness {

    private static final Map<String, Job> JOBS = new LinkedHashMap<>();

    static {
        JOBS.put("bulk13", new Job(Job.Kind.BULK, Protocol.TLS13));
        JOBS.put("bulk12", new Job(Job.Kind.BULK, Protocol.TLS12));
        JOBS.put("full13", new Job(Job.Kind.FULL, Protocol.TLS13));
        JOBS.put("full12", new Job(Job.Kind.FULL, Protocol.TLS12));
        JOBS.put("resume13", new Job(Job.Kind.RESUMING, Protocol.TLS13));
        JOBS.put("resume12", new Job(Job.Kind.RESUMING, Protocol.TLS12));
    }

    /** The run's settings. */
    record Settings(String mode, double warmupS, double measureS, int rounds, int slices, List<String> engines,
            List<String> jobs, String keyManager, Path out, Path jfrDir) {
    }

    private NettyHarness() {
    }

    public static void main(String[] args) throws Exception {
        // x25519 first, P-256 for TLS 1.2's certificate check (see Engine); the JDK engines read
        // this once, on first use, so it is set before anything touches JSSE.
        if (System.getProperty("jdk.tls.namedGroups") == null) {
            System.setProperty("jdk.tls.namedGroups", "x25519,secp256r1");
        }
        Settings s = parse(args);
        TlsFixtures.Credentials creds = TlsFixtures.Credentials.generate();
        List<Engine> engines = new ArrayList<>();
        for (String name : s.engines()) {
            engines.add(Engine.create(name, creds, s.keyManager()));
        }
        String loadAtStart = loadAverage();
        List<Result> all = new ArrayList<>();
        try (Loopback loop = new Loopback()) {
            CpuClock clock = new CpuClock(loop.loopThreadIds());
            for (int round = 1; round <= s.rounds(); round++) {
                for (String jobName : s.jobs()) {
                    Job job = JOBS.get(jobName);
                    for (Result r : measure(loop, clock, engines, job, s, round)) {
                        all.add(r);
                        System.out.printf(Locale.ROOT, "round %d  %-40s %-15s %10.1f %-12s cpu %8.1f us/%s (process %8.1f)%s%n",
                                round, job.title(), r.engine(), r.rate(), job.kind().rateUnit, r.loopCpuPerOp(),
                                job.kind().opName, r.processCpuPerOp(), Double.isNaN(r.fullShare()) ? ""
                                        : String.format(Locale.ROOT, "  full %.0f%%", 100 * r.fullShare()));
                    }
                }
            }
        }
        List<Result> totals = totals(all, s);
        Files.createDirectories(s.out());
        String notes = String.format(Locale.ROOT,
                "mode %s: %.1f s warm-up and %.1f s measured per engine and job (in %d window(s), engines taking"
                        + " turns), %d round(s)%s; server key manager %s"
                        + " (tcnative: key and chain given directly)%n"
                        + "java %s (%s), %d CPUs: %s%nload average at start: %s, at end: %s%n",
                s.mode(), s.warmupS(), s.measureS(), s.slices(), s.rounds(), s.rounds() > 1 ? " (each figure over all of them)" : "",
                s.keyManager(), System.getProperty("java.runtime.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors(), HarnessReport.cpuModel(), loadAtStart,
                loadAverage());
        if (s.mode().equals("short") && s.warmupS() < 5) {
            notes += "a smoke run: the JIT has not warmed the Java paths (SunJSSE's above all); use --full for figures\n";
        }
        HarnessReport.write(s.out(), totals, s.engines(), notes);
        System.out.println("report: " + s.out().resolve("netty-report.md"));
    }

    /** The 1, 5 and 15 minute load averages (Linux), to say how busy the machine was. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /**
     * One round of one job: every engine set up and warmed, then measured in {@code slices}
     * windows each, taking turns (the order rotating), so that a machine whose speed drifts
     * during the round (a shared one does) shifts every engine alike. One result per engine,
     * summed over its windows.
     */
    static List<Result> measure(Loopback loop, CpuClock clock, List<Engine> engines, Job job, Settings s, int round)
            throws Exception {
        List<Subject> subjects = new ArrayList<>();
        try {
            for (Engine e : engines) {
                subjects.add(Subject.open(loop, e, job));
            }
            for (Subject sub : subjects) {
                sub.run(s.warmupS());
            }
            Result[] sums = new Result[subjects.size()];
            double window = s.measureS() / s.slices();
            for (int slice = 0; slice < s.slices(); slice++) {
                for (int k = 0; k < subjects.size(); k++) {
                    int i = (k + slice) % subjects.size();
                    Subject sub = subjects.get(i);
                    Result r;
                    try (Recorder rec = Recorder.start(s, job, sub.engine, round)) {
                        r = sub.measure(clock, window);
                    }
                    sums[i] = sums[i] == null ? r : sums[i].plus(r);
                }
            }
            return List.of(sums);
        } finally {
            for (Subject sub : subjects) {
                sub.close();
            }
        }
    }

    /**
     * One engine set up for one job: a listening server and, for bulk, its connection, which
     * sends only while this subject runs or is measured.
     */
    private static final class Subject implements AutoCloseable {
        /** Time for the connection that ran before to drain and this one's pipe to fill. */
        private static final double SETTLE_S = 0.25;

        final Engine engine;
        private final Job job;
        private final Loopback.Server server;
        private final Loopback.Bulk bulk;

        private Subject(Engine engine, Job job, Loopback.Server server, Loopback.Bulk bulk) {
            this.engine = engine;
            this.job = job;
            this.server = server;
            this.bulk = bulk;
        }

        static Subject open(Loopback loop, Engine engine, Job job) throws Exception {
            boolean isBulk = job.kind() == Job.Kind.BULK;
            Loopback.Server server = loop.listen(engine, job.protocol(), isBulk);
            Loopback.Bulk bulk = null;
            try {
                if (isBulk) {
                    bulk = server.bulk();
                    bulk.pause();
                    check(engine, job, bulk.session());
                } else {
                    check(engine, job, server.ping(job.kind() == Job.Kind.RESUMING));
                }
                return new Subject(engine, job, server, bulk);
            } catch (Exception | Error e) {
                if (bulk != null) {
                    bulk.close();
                }
                server.close();
                throw e;
            }
        }

        /** Runs the job for {@code seconds}, unmeasured (warm-up). */
        void run(double seconds) throws Exception {
            if (bulk != null) {
                bulk.resume();
                sleep(seconds);
                bulk.pause();
            } else {
                pings(seconds);
            }
        }

        Result measure(CpuClock clock, double seconds) throws Exception {
            if (bulk != null) {
                bulk.resume();
                sleep(SETTLE_S);
                long bytes0 = server.received.sum();
                CpuClock.Sample a = clock.now();
                sleep(seconds);
                long bytes1 = server.received.sum();
                CpuClock.Sample z = clock.now();
                bulk.pause();
                return result(job, engine, (bytes1 - bytes0) / 1e6, a, z, 0);
            }
            long full0 = engine.trust.serverChecks();
            CpuClock.Sample a = clock.now();
            long n = pings(seconds);
            CpuClock.Sample z = clock.now();
            return result(job, engine, n, a, z, engine.trust.serverChecks() - full0);
        }

        private long pings(double seconds) throws Exception {
            boolean resumable = job.kind() == Job.Kind.RESUMING;
            long end = System.nanoTime() + (long) (seconds * 1e9);
            long n = 0;
            while (System.nanoTime() < end) {
                server.ping(resumable);
                n++;
            }
            return n;
        }

        @Override
        public void close() throws InterruptedException {
            if (bulk != null) {
                bulk.close();
            }
            server.close();
        }
    }

    /** A JFR recording of one measured window, when {@code --jfr} asks for it. */
    private static final class Recorder implements AutoCloseable {
        private final jdk.jfr.Recording recording;
        private final Path file;

        private Recorder(jdk.jfr.Recording recording, Path file) {
            this.recording = recording;
            this.file = file;
        }

        static Recorder start(Settings s, Job job, Engine engine, int round) throws Exception {
            if (s.jfrDir() == null) {
                return new Recorder(null, null);
            }
            Files.createDirectories(s.jfrDir());
            String name = jobName(job) + "-" + engine.name + "-" + round + ".jfr";
            jdk.jfr.Recording r = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
            // 10 ms (the profile default) leaves too few samples per window to sort by job.
            r.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(1));
            r.enable("jdk.NativeMethodSample").withPeriod(java.time.Duration.ofMillis(1));
            r.start();
            return new Recorder(r, s.jfrDir().resolve(name));
        }

        @Override
        public void close() throws java.io.IOException {
            if (recording != null) {
                recording.stop();
                recording.dump(file);
                recording.close();
            }
        }
    }

    static String jobName(Job job) {
        for (Map.Entry<String, Job> e : JOBS.entrySet()) {
            if (e.getValue().equals(job)) {
                return e.getKey();
            }
        }
        throw new IllegalArgumentException(job.toString());
    }

    private static Result result(Job job, Engine e, double ops, CpuClock.Sample a, CpuClock.Sample z, long full) {
        return new Result(job, e.name, ops, (z.wallNanos() - a.wallNanos()) / 1e9,
                (z.loopCpuNanos() - a.loopCpuNanos()) / 1e3, (z.processCpuNanos() - a.processCpuNanos()) / 1e3, full);
    }

    /** The engine must have negotiated what the job asks for; a wrong setup is an error, never a number. */
    private static void check(Engine e, Job job, SSLSession session) {
        if (!job.protocol().jsseName.equals(session.getProtocol()) || !job.protocol().suite.equals(session.getCipherSuite())) {
            throw new IllegalStateException(e.name + " " + job.title() + ": negotiated " + session.getProtocol() + " "
                    + session.getCipherSuite());
        }
    }

    private static void sleep(double seconds) throws InterruptedException {
        Thread.sleep((long) (seconds * 1000));
    }

    /**
     * Each engine's windows of every round as one measurement: the engines took turns within
     * each round, so every engine's total spans the same stretch of the machine's drift.
     */
    private static List<Result> totals(List<Result> all, Settings s) {
        List<Result> out = new ArrayList<>();
        for (String jobName : s.jobs()) {
            for (String engine : s.engines()) {
                Result total = null;
                for (Result r : all) {
                    if (r.job().equals(JOBS.get(jobName)) && r.engine().equals(engine)) {
                        total = total == null ? r : total.plus(r);
                    }
                }
                out.add(total);
            }
        }
        return out;
    }

    static Settings parse(String[] args) {
        String mode = "short";
        double warmup = -1;
        double measure = -1;
        int rounds = -1;
        int slices = -1;
        List<String> engines = List.of("tlsaccel", "sunjsse", "tcnative");
        List<String> jobs = new ArrayList<>(JOBS.keySet());
        String keyManager = TlsFixtures.KEY_MANAGER;
        Path out = Path.of("benchmarks/target/netty-report");
        Path jfr = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--short": mode = "short"; break;
                case "--full": mode = "full"; break;
                case "--warmup": warmup = Double.parseDouble(args[++i]); break;
                case "--measure": measure = Double.parseDouble(args[++i]); break;
                case "--rounds": rounds = Integer.parseInt(args[++i]); break;
                case "--slices": slices = Integer.parseInt(args[++i]); break;
                case "--engines": engines = List.of(args[++i].split(",")); break;
                case "--jobs": jobs = List.of(args[++i].split(",")); break;
                case "--key-manager": keyManager = args[++i]; break;
                case "--out": out = Path.of(args[++i]); break;
                case "--jfr": jfr = Path.of(args[++i]); break;
                default: throw new IllegalArgumentException("unknown option " + args[i] + " (see the class comment)");
            }
        }
        for (String j : jobs) {
            if (!JOBS.containsKey(j)) {
                throw new IllegalArgumentException("unknown job " + j + "; jobs: " + JOBS.keySet());
            }
        }
        boolean full = mode.equals("full");
        return new Settings(mode, warmup >= 0 ? warmup : full ? 10 : 0.8, measure >= 0 ? measure : full ? 10 : 1.2,
                rounds > 0 ? rounds : full ? 3 : 1, jfr != null ? 1 : slices > 0 ? slices : full ? 4 : 1, engines,
                jobs, keyManager, out, jfr);
    }
}
