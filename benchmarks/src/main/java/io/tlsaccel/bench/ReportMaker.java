package io.tlsaccel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns JMH JSON results (throughput in ops/s) into {@code report.md} and one SVG chart
 * per algorithm and operation ({@code throughput-<alg>-<op>.svg}): MB/s per path and size,
 * and the ratio to SunJCE on the same JVM.
 *
 * <pre>
 * java -cp benchmarks.jar io.tlsaccel.bench.ReportMaker --out DIR [--openssl FILE]
 *      [--notes FILE] [--title TEXT] jmh-17.json [jmh-25.json ...]
 * java -cp benchmarks.jar io.tlsaccel.bench.ReportMaker --merge OUT.json IN.json...
 * </pre>
 *
 * <p>{@code --openssl} takes {@code openssl speed -mr} output (lines {@code +H:<bytes>}
 * then {@code +F:<n>:<cipher>:<bytes per second>}), shown as "OpenSSL (C, no JVM)".
 * {@code --notes} is a text file whose lines go into the report as they are (run.sh
 * writes the probe's auto choice and skipped paths there). With several JSON files each
 * gets its own section, and its charts a {@code -<jvm>} suffix.
 */
public final class ReportMaker {

    /** MB = 10^6 bytes, as openssl speed and most TLS write-ups count. */
    static final double MB = 1e6;

    private static final Map<String, String> LABELS = new LinkedHashMap<>();

    static {
        LABELS.put("nativeJni", "native JNI (auto)");
        LABELS.put("nativeJniImpl", "native JNI");
        LABELS.put("nativeRecord", "native JNI record path (auto, direct buffers)");
        LABELS.put("nativeJna", "native JNA (auto)");
        LABELS.put("javaFallback", "Java fallback");
        LABELS.put("sunJce", "JDK SunJCE");
        LABELS.put("bouncyCastle", "Bouncy Castle");
        LABELS.put("tlsAccelProvider", "TlsAccel JCA provider");
        LABELS.put("accp", "ACCP (AWS-LC)");
        LABELS.put("conscrypt", "Conscrypt (BoringSSL)");
        LABELS.put("openssl", "OpenSSL (C, no JVM)");
    }

    private static final String SUNJCE = "JDK SunJCE";
    private static final String OPENSSL = "OpenSSL (C, no JVM)";

    /** One measured point. */
    record Point(String table, String path, int size, double opsPerSec, double errorOps, Double allocPerOp) {
        double mbps() {
            return opsPerSec * size / MB;
        }
    }

    /** One JSON file's results and the JVM that made them. */
    record Run(String name, String jvm, String shortJvm, String jvmArgs, List<Point> points, List<Point> scaling) {
    }

    private ReportMaker() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length > 1 && args[0].equals("--merge")) {
            merge(Path.of(args[1]), List.of(args).subList(2, args.length));
            return;
        }
        Path out = Path.of("benchmarks/target/report");
        Path openssl = null;
        Path notes = null;
        String title = "tlsaccel benchmark report";
        List<Path> inputs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out": out = Path.of(args[++i]); break;
                case "--openssl": openssl = Path.of(args[++i]); break;
                case "--notes": notes = Path.of(args[++i]); break;
                case "--title": title = args[++i]; break;
                default: inputs.add(Path.of(args[i]));
            }
        }
        if (inputs.isEmpty()) {
            System.err.println("usage: ReportMaker --out DIR [--openssl FILE] [--notes FILE] jmh.json...");
            System.exit(2);
        }
        for (Path in : inputs) {
            if (!Files.isRegularFile(in)) {
                System.err.println("ReportMaker: no such file " + in + " (did the JMH run fail?)");
                System.exit(1);
            }
        }
        Files.createDirectories(out);
        List<Point> opensslPoints = openssl != null && Files.isRegularFile(openssl)
                ? readOpenssl(Files.readAllLines(openssl)) : List.of();

        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n");
        md.append("Generated ").append(Instant.now()).append(" from ")
                .append(String.join(", ", inputs.stream().map(p -> "`" + p.getFileName() + "`").toList()))
                .append(". Throughput measured by JMH in ops/s and shown here as MB/s (10^6 bytes of")
                .append(" plaintext per second); \"x SunJCE\" is the ratio to the JDK's SunJCE on the same")
                .append(" JVM at the same size. Higher is better.\n\n");
        if (notes != null && Files.isRegularFile(notes)) {
            md.append("```\n").append(Files.readString(notes).strip()).append("\n```\n\n");
        }
        List<String> svgs = new ArrayList<>();
        for (Path in : inputs) {
            Run run = readRun(in);
            String suffix = inputs.size() > 1 ? "-" + slug(run.name) : "";
            md.append("## ").append(inputs.size() > 1 ? run.name + ": " : "").append(run.jvm).append("\n\n");
            md.append("Results: `").append(in.getFileName()).append('`');
            if (!run.jvmArgs.isBlank()) {
                md.append("; JVM arguments: `").append(run.jvmArgs).append('`');
            }
            md.append("\n\n");
            Map<String, List<Point>> tables = new TreeMap<>(Comparator.comparingInt(ReportMaker::tableOrder)
                    .thenComparing(Comparator.naturalOrder()));
            for (Point p : run.points) {
                tables.computeIfAbsent(p.table, k -> new ArrayList<>()).add(p);
            }
            for (Point p : opensslPoints) {
                if (tables.containsKey(p.table)) {
                    tables.get(p.table).add(p);
                }
            }
            for (Map.Entry<String, List<Point>> e : tables.entrySet()) {
                String svg = "throughput-" + slug(e.getKey()) + suffix + ".svg";
                md.append("### ").append(e.getKey()).append("\n\n");
                md.append(table(e.getValue()));
                md.append("\n![").append(e.getKey()).append(" throughput against record size](")
                        .append(svg).append(")\n\n");
                Files.writeString(out.resolve(svg), Svg.chart(e.getKey() + " - " + run.shortJvm, e.getValue()),
                        StandardCharsets.UTF_8);
                svgs.add(svg);
            }
            if (!run.scaling.isEmpty()) {
                md.append(scaling(run.scaling));
            }
        }
        Files.writeString(out.resolve("report.md"), md, StandardCharsets.UTF_8);
        System.out.println("report: " + out.resolve("report.md") + " (" + svgs.size() + " charts)");
    }

    /**
     * {@code --merge OUT IN...}: joins the JMH JSON arrays of several runs (run.sh runs JMH
     * once per benchmark and algorithm) into one, read as one run.
     */
    static void merge(Path out, List<String> inputs) throws IOException {
        ObjectMapper m = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ArrayNode all = m.createArrayNode();
        for (String in : inputs) {
            if (Files.isRegularFile(Path.of(in))) {
                m.readTree(Path.of(in).toFile()).forEach(all::add);
            }
        }
        m.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), all);
    }

    // ---- reading ---------------------------------------------------------------------------

    static Run readRun(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        String jvm = "unknown JVM";
        String shortJvm = "unknown JVM";
        String jvmArgs = "";
        List<Point> points = new ArrayList<>();
        List<Point> scaling = new ArrayList<>();
        for (JsonNode r : root) {
            jvm = r.path("vmName").asText("") + " " + r.path("vmVersion").asText("")
                    + " (JDK " + r.path("jdkVersion").asText("?") + ", " + r.path("jvm").asText("") + ")";
            shortJvm = "JDK " + r.path("jdkVersion").asText("?") + ", " + r.path("vmName").asText("");
            List<String> a = new ArrayList<>();
            r.path("jvmArgs").forEach(x -> a.add(x.asText()));
            jvmArgs = String.join(" ", a);
            String bench = r.path("benchmark").asText();
            String method = bench.substring(bench.lastIndexOf('.') + 1);
            String cls = bench.substring(0, bench.lastIndexOf('.'));
            cls = cls.substring(cls.lastIndexOf('.') + 1);
            JsonNode params = r.path("params");
            JsonNode pm = r.path("primaryMetric");
            if (!pm.path("scoreUnit").asText().equals("ops/s")) {
                System.err.println("skipping " + bench + ": unit " + pm.path("scoreUnit").asText() + " (want ops/s)");
                continue;
            }
            double score = pm.path("score").asDouble();
            double err = pm.path("scoreError").isNumber() ? pm.path("scoreError").asDouble() : Double.NaN;
            JsonNode alloc = r.path("secondaryMetrics").path("gc.alloc.rate.norm");
            Double allocPerOp = alloc.isMissingNode() ? null : alloc.path("score").asDouble();
            if (cls.equals("AesGcmThreadScalingBenchmark")) {
                scaling.add(new Point("scaling", method + ":" + r.path("threads").asInt(),
                        AesGcmThreadScalingBenchmark.SIZE, score, err, allocPerOp));
                continue;
            }
            if (cls.equals("JavaFallbackBenchmark") && params.has("algorithm") && params.has("impl")) {
                // another module's benchmark: the fallback on a JVM without the crypto intrinsics
                String alg = params.path("algorithm").asText();
                String t = (alg.equals("AES_128_GCM") ? "AES-128-GCM" : alg.equals("AES_256_GCM") ? "AES-256-GCM"
                        : "ChaCha20-Poly1305") + " seal, JVM without crypto intrinsics (JavaFallbackBenchmark)";
                String impl = params.path("impl").asText();
                String label = impl.equals("tlsaccel") ? LABELS.get("javaFallback")
                        : impl.equals("jdk") ? SUNJCE : impl.equals("bc") ? LABELS.get("bouncyCastle") : impl;
                points.add(new Point(t, label, params.path("size").asInt(), score, err, allocPerOp));
                continue;
            }
            String table = table(cls, method, params);
            if (table == null) {
                System.err.println("skipping " + bench + ": not a known benchmark class");
                continue;
            }
            String label = label(method, params);
            points.add(new Point(table, label, params.path("size").asInt(), score, err, allocPerOp));
        }
        String name = file.getFileName().toString().replaceFirst("^jmh-", "").replaceFirst("\\.json$", "");
        return new Run(name, jvm, shortJvm, jvmArgs, points, scaling);
    }

    /**
     * The row label: from the {@code path} parameter ({@code nativeJni/vaes512} becomes "native
     * JNI vaes512"); in results of the older one-method-per-path classes, from the method name
     * and the {@code aesImpl}-style parameters.
     */
    static String label(String method, JsonNode params) {
        if (params.has("path")) {
            String path = params.path("path").asText();
            int slash = path.indexOf('/');
            return slash < 0 ? LABELS.getOrDefault(path, path)
                    : LABELS.get("nativeJniImpl") + " " + path.substring(slash + 1);
        }
        String label = LABELS.getOrDefault(method, method);
        for (String implParam : List.of("aesImpl", "chachaImpl", "sha256Impl", "sha384Impl")) {
            if (params.has(implParam)) {
                label = label + " " + params.path(implParam).asText();
            }
        }
        return label;
    }

    /** "AES-128-GCM seal" etc. from the class, the method (AeadBenchmark: seal or open) and the alg parameter. */
    static String table(String cls, String method, JsonNode params) {
        String op = cls.contains("Seal") ? "seal" : cls.contains("Open") ? "open" : "MAC";
        String alg = params.path("alg").asText();
        if (cls.equals("AeadBenchmark")) {
            return (alg.equals("AES_128_GCM") ? "AES-128-GCM" : alg.equals("AES_256_GCM") ? "AES-256-GCM"
                    : alg.equals("CHACHA20_POLY1305") ? "ChaCha20-Poly1305" : alg) + " " + method;
        }
        if (cls.equals("HmacBenchmark")) {
            return alg.equals("HMAC_SHA384") ? "HMAC-SHA-384" : "HMAC-SHA-256";
        }
        // results of the older classes (AesGcmSealBenchmark, HmacSha256Benchmark, ...)
        if (cls.startsWith("AesGcm")) {
            return params.path("alg").asText().equals("AES_256_GCM") ? "AES-256-GCM " + op : "AES-128-GCM " + op;
        }
        if (cls.startsWith("ChaCha20Poly1305")) {
            return "ChaCha20-Poly1305 " + op;
        }
        if (cls.startsWith("HmacSha256")) {
            return "HMAC-SHA-256";
        }
        if (cls.startsWith("HmacSha384")) {
            return "HMAC-SHA-384";
        }
        return null;
    }

    private static int tableOrder(String t) {
        String[] order = {"AES-128-GCM seal", "AES-128-GCM open", "AES-256-GCM seal", "AES-256-GCM open",
            "ChaCha20-Poly1305 seal", "ChaCha20-Poly1305 open", "HMAC-SHA-256", "HMAC-SHA-384"};
        for (int i = 0; i < order.length; i++) {
            if (order[i].equals(t)) {
                return i;
            }
        }
        return order.length;
    }

    /** {@code openssl speed -mr} output: "+H:1024" then "+F:25:AES-128-GCM:1959069013.33" (bytes/s). */
    static List<Point> readOpenssl(List<String> lines) {
        List<Point> points = new ArrayList<>();
        int[] sizes = new int[0];
        for (String line : lines) {
            String[] f = line.trim().split(":");
            if (f[0].equals("+H")) {
                sizes = new int[f.length - 1];
                for (int i = 1; i < f.length; i++) {
                    sizes[i - 1] = Integer.parseInt(f[i].trim());
                }
            } else if (f[0].equals("+F") && f.length >= 4) {
                String cipher = f[2].toUpperCase(Locale.ROOT);
                String table = cipher.equals("AES-128-GCM") ? "AES-128-GCM seal"
                        : cipher.equals("AES-256-GCM") ? "AES-256-GCM seal"
                        : cipher.startsWith("CHACHA20-POLY1305") ? "ChaCha20-Poly1305 seal" : null;
                for (int i = 3; i < f.length && i - 3 < sizes.length && table != null; i++) {
                    double bytesPerSec = Double.parseDouble(f[i]);
                    int size = sizes[i - 3];
                    points.add(new Point(table, OPENSSL, size, bytesPerSec / size, Double.NaN, null));
                }
            }
        }
        return points;
    }

    // ---- writing ---------------------------------------------------------------------------

    static List<String> pathsInOrder(List<Point> points) {
        List<String> labels = new ArrayList<>();
        for (Point p : points) {
            if (!labels.contains(p.path)) {
                labels.add(p.path);
            }
        }
        List<String> keys = new ArrayList<>(LABELS.values());
        labels.sort(Comparator.comparingInt((String l) -> { // the longest label key it starts with
            int best = keys.size();
            for (int i = 0; i < keys.size(); i++) {
                boolean longer = best == keys.size() || keys.get(i).length() > keys.get(best).length();
                if (l.startsWith(keys.get(i)) && longer) {
                    best = i;
                }
            }
            return best;
        }));
        return labels;
    }

    static String table(List<Point> points) {
        TreeSet<Integer> sizes = new TreeSet<>();
        points.forEach(p -> sizes.add(p.size));
        Map<String, Map<Integer, Point>> byPath = new LinkedHashMap<>();
        for (String path : pathsInOrder(points)) {
            byPath.put(path, new TreeMap<>());
        }
        points.forEach(p -> byPath.get(p.path).put(p.size, p));
        Map<Integer, Point> sun = byPath.getOrDefault(SUNJCE, Map.of());
        boolean alloc = points.stream().anyMatch(p -> p.allocPerOp != null);

        StringBuilder sb = new StringBuilder("| path |");
        sizes.forEach(s -> sb.append(' ').append(sizeName(s)).append(" MB/s (x SunJCE) |"));
        if (alloc) {
            sb.append(" B/op at ").append(sizeName(sizes.last())).append(" |");
        }
        sb.append("\n|---|");
        sizes.forEach(s -> sb.append("---:|"));
        if (alloc) {
            sb.append("---:|");
        }
        sb.append('\n');
        byPath.forEach((path, row) -> {
            sb.append("| ").append(path).append(" |");
            for (int s : sizes) {
                Point p = row.get(s);
                if (p == null) {
                    sb.append(" - |");
                    continue;
                }
                sb.append(' ').append(String.format(Locale.ROOT, "%.1f", p.mbps()));
                if (!Double.isNaN(p.errorOps) && p.opsPerSec > 0) {
                    sb.append(String.format(Locale.ROOT, " ±%.0f%%", 100 * p.errorOps / p.opsPerSec));
                }
                Point s0 = sun.get(s);
                if (s0 != null && s0.opsPerSec > 0) {
                    sb.append(String.format(Locale.ROOT, " (%.2fx)", p.opsPerSec / s0.opsPerSec));
                }
                sb.append(" |");
            }
            if (alloc) {
                Point p = row.get(sizes.last());
                sb.append(p == null || p.allocPerOp == null ? " - |"
                        : String.format(Locale.ROOT, " %.1f |", p.allocPerOp));
            }
            sb.append('\n');
        });
        return sb.toString();
    }

    static String scaling(List<Point> points) {
        StringBuilder sb = new StringBuilder("### Thread scaling: native AES-128-GCM seal, 16 KiB records\n\n");
        sb.append("Each thread has its own key and buffers; JMH sums the threads' throughput.\n\n");
        sb.append("| benchmark | threads | MB/s | x one thread |\n|---|---:|---:|---:|\n");
        Point one = points.stream().filter(p -> p.path.startsWith("oneThread")).findFirst().orElse(null);
        for (Point p : points) {
            String[] nameThreads = p.path.split(":");
            sb.append("| ").append(nameThreads[0]).append(" | ").append(nameThreads[1]).append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f", p.mbps())).append(" | ")
                    .append(one == null ? "-" : String.format(Locale.ROOT, "%.2f", p.opsPerSec / one.opsPerSec))
                    .append(" |\n");
        }
        return sb.append('\n').toString();
    }

    static String sizeName(int size) {
        return size >= 1024 && size % 1024 == 0 ? size / 1024 + " KiB" : size + " B";
    }

    static String slug(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    /** A line chart of MB/s against record size (log scale), one line per path. */
    static final class Svg {
        private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
            "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#aec7e8", "#ff9896", "#98df8a", "#c5b0d5"};
        private static final int W = 960;
        private static final int H = 540;
        private static final int LEFT = 80;
        private static final int RIGHT = 330;
        private static final int TOP = 50;
        private static final int BOTTOM = 60;

        private Svg() {
        }

        static String chart(String title, List<Point> points) {
            TreeSet<Integer> sizes = new TreeSet<>();
            points.forEach(p -> sizes.add(p.size));
            double max = points.stream().mapToDouble(Point::mbps).max().orElse(1);
            double step = niceStep(max / 5);
            double top = Math.max(step, Math.ceil(max / step) * step);
            double lo = Math.log(sizes.first());
            double hi = Math.log(sizes.last());
            int plotW = W - LEFT - RIGHT;
            int plotH = H - TOP - BOTTOM;
            StringBuilder s = new StringBuilder();
            s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H)
                    .append("\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                    .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
            s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
            s.append(text(LEFT, 25, "start", 15, title));
            // axes and grid
            for (double v = 0; v <= top + step / 2; v += step) {
                double y = TOP + plotH - v / top * plotH;
                s.append(line(LEFT, y, LEFT + plotW, y, "#dddddd"));
                s.append(text(LEFT - 6, y + 4, "end", 11, fmt(v)));
            }
            for (int size : sizes) {
                double x = xOf(size, lo, hi, plotW);
                s.append(line(x, TOP, x, TOP + plotH, "#eeeeee"));
                s.append(text(x, TOP + plotH + 18, "middle", 11, sizeName(size)));
            }
            s.append(line(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH, "#333333"));
            s.append(line(LEFT, TOP, LEFT, TOP + plotH, "#333333"));
            s.append(text(LEFT + plotW / 2.0, H - 15, "middle", 12, "record size (bytes, log scale)"));
            int mid = TOP + plotH / 2;
            s.append("<text x=\"20\" y=\"").append(mid).append("\" text-anchor=\"middle\" transform=\"rotate(-90 20 ")
                    .append(mid).append(")\">throughput (MB/s)</text>\n");
            // series
            List<String> paths = pathsInOrder(points);
            for (int i = 0; i < paths.size(); i++) {
                String path = paths.get(i);
                String color = path.startsWith(OPENSSL) ? "#000000" : COLORS[i % COLORS.length];
                String dash = path.startsWith(OPENSSL) ? " stroke-dasharray=\"6 4\"" : "";
                StringBuilder pts = new StringBuilder();
                StringBuilder marks = new StringBuilder();
                points.stream().filter(p -> p.path.equals(path)).sorted(Comparator.comparingInt(Point::size))
                        .forEach(p -> {
                            double x = xOf(p.size, lo, hi, plotW);
                            double y = TOP + plotH - p.mbps() / top * plotH;
                            pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                            marks.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\""
                                    + " fill=\"%s\"><title>%s %s: %.1f MB/s</title></circle>%n",
                                    x, y, color, esc(path), sizeName(p.size), p.mbps()));
                        });
                s.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2\"")
                        .append(dash).append(" points=\"").append(pts.toString().trim()).append("\"/>\n");
                s.append(marks);
                double ly = TOP + 10 + i * 20;
                double lx = W - RIGHT + 20;
                s.append("<line x1=\"").append(lx).append("\" y1=\"").append(ly).append("\" x2=\"").append(lx + 24)
                        .append("\" y2=\"").append(ly).append("\" stroke=\"").append(color)
                        .append("\" stroke-width=\"2\"").append(dash).append("/>\n");
                s.append(text(lx + 30, ly + 4, "start", 12, path));
            }
            s.append("</svg>\n");
            return s.toString();
        }

        private static double xOf(int size, double lo, double hi, int plotW) {
            return LEFT + (hi == lo ? plotW / 2.0 : (Math.log(size) - lo) / (hi - lo) * plotW);
        }

        private static double niceStep(double raw) {
            double mag = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-9))));
            double n = raw / mag;
            return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
        }

        private static String fmt(double v) {
            return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
        }

        private static String line(double x1, double y1, double x2, double y2, String color) {
            return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
                    x1, y1, x2, y2, color);
        }

        private static String text(double x, double y, String anchor, int size, String t) {
            return String.format(Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
                    x, y, anchor, size, esc(t));
        }

        private static String esc(String t) {
            return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        }
    }
}
