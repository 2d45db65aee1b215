package io.tlsaccel.bench.netty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * {@code netty-report.md} (one table per job: rate, CPU per operation, ratios to tcnative and
 * to SunJSSE), {@code netty-throughput.svg} and {@code netty-cpu.svg} (per job, each engine
 * against tcnative) and {@code netty-results.tsv} (the numbers, one line per engine and job).
 */
final class HarnessReport {
    private static final Map<String, String> LABELS = Map.of(
            "tlsaccel", "tlsaccel (ours)", "tlsaccel-direct", "tlsaccel, direct wrap buffers",
            "tlsaccel-composite", "tlsaccel, composite cumulator", "sunjsse", "SunJSSE (JDK)", "tcnative", "netty-tcnative (BoringSSL)");
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

    private HarnessReport() {
    }

    static String label(String engine) {
        return LABELS.getOrDefault(engine, engine);
    }

    static void write(Path dir, List<Result> results, List<String> engines, String notes) throws IOException {
        Map<Job, Map<String, Result>> byJob = new LinkedHashMap<>();
        for (Result r : results) {
            byJob.computeIfAbsent(r.job(), k -> new LinkedHashMap<>()).put(r.engine(), r);
        }
        String base = engines.contains("tcnative") ? "tcnative" : engines.get(0);
        StringBuilder md = new StringBuilder("# tlsaccel end-to-end report (Netty 4.2, loopback)\n\n");
        md.append("Our provider, SunJSSE and netty-tcnative-boringssl-static in one JVM behind Netty's SslHandler,")
                .append(" server and client each on its own event-loop thread, TCP over 127.0.0.1; x25519, an ECDSA")
                .append(" P-256 server certificate checked by the JDK's PKIX trust manager; TLS 1.3")
                .append(" TLS_AES_128_GCM_SHA256, TLS 1.2 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256. Bulk: one")
                .append(" connection, 16 KiB writes, MB = 10^6 bytes of application data received. Handshakes:")
                .append(" sequential connections (connect, handshake, one byte each way, close). CPU per operation:")
                .append(" CPU time of the two event-loop threads (both ends) over the measured window divided by")
                .append(" the operations in it; \"process\" counts every thread (JIT, GC included). \"full\": share")
                .append(" of handshakes in which the client checked the server's chain, i.e. not resumed.\n\n");
        md.append("```\n").append(notes.strip()).append("\n```\n\n");
        for (Map.Entry<Job, Map<String, Result>> e : byJob.entrySet()) {
            Job job = e.getKey();
            Map<String, Result> row = e.getValue();
            boolean handshakes = job.kind() != Job.Kind.BULK;
            md.append("## ").append(job.title()).append("\n\n| engine | ").append(job.kind().rateUnit)
                    .append(" | x tcnative | x SunJSSE | CPU µs/").append(job.kind().opName)
                    .append(" (both ends) | CPU x tcnative | process CPU µs/").append(job.kind().opName).append(" |")
                    .append(handshakes ? " full |" : "").append("\n|---|---:|---:|---:|---:|---:|---:|")
                    .append(handshakes ? "---:|" : "").append('\n');
            Result tc = row.get("tcnative");
            Result sun = row.get("sunjsse");
            for (Result r : row.values()) {
                md.append("| ").append(label(r.engine())).append(" | ").append(f1(r.rate())).append(" | ")
                        .append(ratio(r.rate(), tc == null ? Double.NaN : tc.rate())).append(" | ")
                        .append(ratio(r.rate(), sun == null ? Double.NaN : sun.rate())).append(" | ")
                        .append(f1(r.loopCpuPerOp())).append(" | ")
                        .append(ratio(r.loopCpuPerOp(), tc == null ? Double.NaN : tc.loopCpuPerOp())).append(" | ")
                        .append(f1(r.processCpuPerOp())).append(" |");
                if (handshakes) {
                    md.append(' ').append(String.format(Locale.ROOT, "%.0f%%", 100 * r.fullShare())).append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
        }
        md.append("![throughput against ").append(label(base)).append("](netty-throughput.svg)\n\n");
        md.append("![CPU per operation against ").append(label(base)).append("](netty-cpu.svg)\n");
        Files.writeString(dir.resolve("netty-report.md"), md, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("netty-throughput.svg"), bars("Throughput, x " + label(base)
                + " (higher is better)", byJob, engines, base, Result::rate), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("netty-cpu.svg"), bars("CPU per operation, both ends, x " + label(base)
                + " (lower is better)", byJob, engines, base, Result::loopCpuPerOp), StandardCharsets.UTF_8);
        StringBuilder tsv = new StringBuilder("job\tengine\tops\tseconds\trate\tunit\tcpu_us_per_op\tprocess_cpu_us_per_op\tfull_share\n");
        for (Result r : results) {
            tsv.append(r.job().title()).append('\t').append(r.engine()).append('\t').append(f1(r.ops())).append('\t')
                    .append(String.format(Locale.ROOT, "%.3f", r.seconds())).append('\t').append(f1(r.rate())).append('\t')
                    .append(r.job().kind().rateUnit).append('\t').append(f1(r.loopCpuPerOp())).append('\t')
                    .append(f1(r.processCpuPerOp())).append('\t').append(String.format(Locale.ROOT, "%.3f", r.fullShare()))
                    .append('\n');
        }
        Files.writeString(dir.resolve("netty-results.tsv"), tsv, StandardCharsets.UTF_8);
    }

    /** Grouped horizontal bars: one group per job, one bar per engine, value / base engine's value. */
    static String bars(String title, Map<Job, Map<String, Result>> byJob, List<String> engines, String base,
            ToDoubleFunction<Result> value) {
        int left = 330;
        int barH = 14;
        int groupH = engines.size() * barH + 16;
        int top = 50;
        int plotW = 520;
        int legendH = 20 * engines.size() + 20;
        int h = top + byJob.size() * groupH + 40 + legendH;
        int w = left + plotW + 80;
        List<double[]> ratios = new ArrayList<>();
        double max = 1;
        for (Map<String, Result> row : byJob.values()) {
            Result b = row.get(base);
            double[] rs = new double[engines.size()];
            for (int i = 0; i < engines.size(); i++) {
                Result r = row.get(engines.get(i));
                rs[i] = r == null || b == null ? Double.NaN : value.applyAsDouble(r) / value.applyAsDouble(b);
                if (!Double.isNaN(rs[i])) {
                    max = Math.max(max, rs[i]);
                }
            }
            ratios.add(rs);
        }
        double scale = Math.ceil(max * 2) / 2;
        StringBuilder s = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", w, h, w, h));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(text(20, 25, "start", 15, title));
        int plotBottom = top + byJob.size() * groupH;
        for (double v = 0; v <= scale + 1e-9; v += 0.5) {
            double x = left + v / scale * plotW;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/>%n",
                    x, top - 5, x, plotBottom, v == 1.0 ? "#333333" : "#dddddd"));
            s.append(text(x, plotBottom + 16, "middle", 11, String.format(Locale.ROOT, "%.1fx", v)));
        }
        int g = 0;
        for (Job job : byJob.keySet()) {
            int y0 = top + g * groupH;
            s.append(text(left - 10, y0 + engines.size() * barH / 2.0 + 4, "end", 12, job.title()));
            double[] rs = ratios.get(g);
            for (int i = 0; i < engines.size(); i++) {
                if (Double.isNaN(rs[i])) {
                    continue;
                }
                double bw = rs[i] / scale * plotW;
                s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                        + "<title>%s: %.2fx</title></rect>%n", left, y0 + i * barH, bw, barH - 2, COLORS[i % COLORS.length],
                        esc(label(engines.get(i))), rs[i]));
                s.append(text(left + bw + 4, y0 + i * barH + barH - 4, "start", 10,
                        String.format(Locale.ROOT, "%.2f", rs[i])));
            }
            g++;
        }
        for (int i = 0; i < engines.size(); i++) {
            int ly = plotBottom + 40 + i * 20;
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"24\" height=\"12\" fill=\"%s\"/>%n",
                    left, ly - 10, COLORS[i % COLORS.length]));
            s.append(text(left + 30, ly, "start", 12, label(engines.get(i))));
        }
        return s.append("</svg>\n").toString();
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux: no model name
        }
        return "unknown CPU";
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String ratio(double v, double base) {
        return Double.isNaN(base) || base == 0 ? "-" : String.format(Locale.ROOT, "%.2f", v / base);
    }

    private static String text(double x, double y, String anchor, int size, String t) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
                x, y, anchor, size, esc(t));
    }

    private static String esc(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
