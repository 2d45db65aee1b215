package io.tlsaccel.nativelib;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.ptr.PointerByReference;
import io.tlsaccel.Version;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds, extracts and loads the C library, once per JVM.
 *
 * <p>The library travels in the jar under {@code io/tlsaccel/native/<platform>/}
 * ({@code linux-x86_64}, {@code linux-aarch64}; {@link #platform()} picks by {@code os.arch}). It is
 * copied into a fresh directory with an unpredictable name and owner-only permissions
 * (whose owner and permissions are checked after creation), loaded for JNI and for JNA,
 * and deleted at once: nothing stays on disk and nobody else could have swapped it.
 *
 * <ul>
 *   <li>{@code -Dtlsaccel.native.dir=DIR}: extract under DIR instead of java.io.tmpdir
 *       (for hosts whose /tmp is mounted noexec); also used for JNA's own stub unless
 *       {@code jna.tmpdir} is set.</li>
 *   <li>{@code -Dtlsaccel.native.path=FILE}: load an installed library, extract nothing.</li>
 * </ul>
 *
 * <p>Loading happens in {@link #status()} under a lock held by no class initialiser, so
 * two threads initialising different classes cannot deadlock on it. Any failure is kept
 * as a reason (shown by {@code info}) and the pure-Java backend takes over.
 */
public final class NativeLoader {

    public static final String DIR_PROPERTY = "tlsaccel.native.dir";
    public static final String PATH_PROPERTY = "tlsaccel.native.path";
    static final String LIBRARY_FILE = "libtlsaccel.so";

    private static final Object LOCK = new Object();
    private static volatile NativeStatus status;

    private NativeLoader() {
    }

    /** Loads on first call; later calls return the same answer. */
    public static NativeStatus status() {
        NativeStatus s = status;
        if (s == null) {
            synchronized (LOCK) {
                s = status;
                if (s == null) {
                    s = load();
                    status = s;
                    if (s.usable()) {
                        registerMBean(s.source());
                    }
                }
            }
        }
        return s;
    }

    /**
     * Key contexts the C layer holds now (AEAD and MAC, every engine and provider object of
     * this process); -1 when the library is not loaded. Engines free theirs when they close,
     * and a Cleaner frees those of objects dropped without closing, so after a collection the
     * count returns to what the long-lived objects hold: a count that keeps growing is a leak.
     */
    public static long liveContexts() {
        return status().usable() ? TaNative.ta_live_contexts() : -1;
    }

    /** Best effort: a JVM without JMX, or a name already taken, just goes without the bean. */
    private static void registerMBean(String source) {
        try {
            java.lang.management.ManagementFactory.getPlatformMBeanServer().registerMBean(new NativeLibraryMXBean() {
                @Override
                public long getLiveContexts() {
                    return TaNative.ta_live_contexts();
                }

                @Override
                public String getSource() {
                    return source;
                }
            }, new javax.management.ObjectName("io.tlsaccel:type=NativeLibrary"));
        } catch (Exception | LinkageError e) {
            // monitoring is optional
        }
    }

    /** The resource folder for this OS and CPU, e.g. {@code linux-x86_64}; null if none. */
    public static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux")) {
            return null;
        }
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            return "linux-x86_64";
        }
        if (arch.equals("aarch64") || arch.equals("arm64")) {
            return "linux-aarch64";
        }
        return null;
    }

    private static NativeStatus load() {
        String platform = platform();
        if (platform == null) {
            return NativeStatus.failed("no native library for " + System.getProperty("os.name")
                    + "/" + System.getProperty("os.arch") + " (x86-64 and AArch64 Linux only)", "");
        }
        String installed = System.getProperty(PATH_PROPERTY);
        if (installed != null && !installed.isEmpty()) {
            Path file = Path.of(installed);
            if (!Files.isRegularFile(file)) {
                return NativeStatus.failed(PATH_PROPERTY + " names no file: " + installed, installed);
            }
            return loadFile(file.toAbsolutePath(), file.toAbsolutePath().toString());
        }
        String resource = "/io/tlsaccel/native/" + platform + "/" + LIBRARY_FILE;
        if (NativeLoader.class.getResource(resource) == null) {
            return NativeStatus.failed("this jar carries no native library for " + platform
                    + " (built with -Dtlsaccel.skipNative?)", "jar:" + resource);
        }
        Path dir = null;
        Path file = null;
        try {
            dir = privateDirectory();
            file = dir.resolve(LIBRARY_FILE);
            try (InputStream in = NativeLoader.class.getResourceAsStream(resource)) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r-x------"));
            return loadFile(file, "jar:" + resource);
        } catch (IOException | RuntimeException e) {
            return NativeStatus.failed("could not extract the native library: " + e, "jar:" + resource);
        } finally {
            // Loaded (or not), the file is no longer needed: the mapping stays valid.
            deleteQuietly(file);
            deleteQuietly(dir);
        }
    }

    /** A new directory only we can enter, with a random name, checked after creation. */
    private static Path privateDirectory() throws IOException {
        String parentName = System.getProperty(DIR_PROPERTY);
        Path parent = Path.of(parentName != null && !parentName.isEmpty()
                ? parentName : System.getProperty("java.io.tmpdir"));
        Files.createDirectories(parent);
        Path dir = Files.createTempDirectory(parent, "tlsaccel-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        String owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
        String me = System.getProperty("user.name");
        if (Files.isSymbolicLink(dir) || !perms.equals(PosixFilePermissions.fromString("rwx------"))
                || (me != null && !me.equals(owner))) {
            deleteQuietly(dir);
            throw new IOException("extraction directory " + dir + " is not private (owner " + owner
                    + ", permissions " + PosixFilePermissions.toString(perms) + ")");
        }
        if (parentName != null && !parentName.isEmpty() && System.getProperty("jna.tmpdir") == null) {
            System.setProperty("jna.tmpdir", parent.toString());
        }
        return dir;
    }

    private static NativeStatus loadFile(Path file, String source) {
        try {
            System.load(file.toString());
        } catch (UnsatisfiedLinkError | SecurityException e) {
            return NativeStatus.failed("could not load " + file + ": " + e.getMessage(), source);
        }
        try {
            NativeLibrary library = NativeLibrary.getInstance(file.toString());
            Native.register(TaNative.class, library);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return NativeStatus.failed("JNA could not bind the library: " + e.getMessage(), source);
        }
        String version = TaNative.ta_version();
        if (!Version.VERSION.equals(version)) {
            return NativeStatus.failed("native library version " + version + " does not match Java "
                    + Version.VERSION, source);
        }
        List<String> features = featureNames(TaNative.ta_cpu_features());
        List<String> detected = featureNames(TaNative.ta_cpu_features_detected());
        PointerByReference failed = new PointerByReference();
        boolean passed = TaNative.ta_self_test(failed) == 0;
        String failure = passed ? null
                : failed.getValue() == null ? "unknown" : failed.getValue().getString(0);
        return new NativeStatus(true, passed ? null : "native self-test failed: " + failure, source,
                version, features, detected, passed, failure);
    }

    private static List<String> featureNames(int bits) {
        List<String> names = new ArrayList<>();
        for (int bit = 0; bit < 32; bit++) {
            if ((bits & (1 << bit)) != 0) {
                String name = TaNative.ta_cpu_feature_name(bit);
                names.add(name != null ? name : "bit" + bit);
            }
        }
        return List.copyOf(names);
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: a leftover empty private directory is harmless
        }
    }
}
