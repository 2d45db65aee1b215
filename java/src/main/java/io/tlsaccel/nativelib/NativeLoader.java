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
 * (whose owner and permissions are checked after creation), under a parent no other user
 * can rearrange (checked up to the root: ours or root's, and sticky where others may
 * write), loaded for JNI and for JNA, and deleted at once: nothing stays on disk and nobody
 * else could have swapped it. JNA's own stub is extracted into the same private directory
 * unless the application set {@code jna.tmpdir}.
 *
 * <ul>
 *   <li>{@code -Dtlsaccel.native.dir=DIR}: extract under DIR instead of java.io.tmpdir
 *       (for hosts whose /tmp is mounted noexec); an unsafe DIR is refused with the reason.</li>
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
            Path extracted = file;
            return withJnaStubIn(dir, () -> loadFile(extracted, "jar:" + resource));
        } catch (IOException | RuntimeException e) {
            return NativeStatus.failed("could not extract the native library: " + e, "jar:" + resource);
        } finally {
            // Loaded (or not), the files (ours and JNA's stub) are no longer needed: the
            // mappings stay valid.
            deleteQuietly(file);
            if (dir != null) {
                try (var left = Files.list(dir)) {
                    left.forEach(NativeLoader::deleteQuietly);
                } catch (IOException ignored) {
                    // best effort, as below
                }
            }
            deleteQuietly(dir);
        }
    }

    /**
     * A new directory only we can enter, with a random name, checked after creation, in a
     * parent that no other user can rearrange (see {@link #checkSafeParent}).
     */
    private static Path privateDirectory() throws IOException {
        String parentName = System.getProperty(DIR_PROPERTY);
        Path parent = Path.of(parentName != null && !parentName.isEmpty()
                ? parentName : System.getProperty("java.io.tmpdir"));
        Files.createDirectories(parent);
        checkSafeParent(parent);
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
        return dir;
    }

    /**
     * Refuses a parent where another user could rename our private directory and put their own
     * library in its place between our checks and the load: the parent and every directory
     * above it must belong to us or to root, and must not be writable by others unless the
     * sticky bit is set (as on /tmp, where only an entry's owner may rename it).
     */
    static void checkSafeParent(Path parent) throws IOException {
        String me = System.getProperty("user.name");
        for (Path d = parent.toRealPath(); d != null; d = d.getParent()) {
            int mode;
            try {
                mode = (Integer) Files.getAttribute(d, "unix:mode");
            } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
                return; // not a Unix file system: nothing more we can check
            }
            String owner = Files.getOwner(d).getName();
            boolean writableByOthers = (mode & 0022) != 0;
            boolean sticky = (mode & 01000) != 0;
            if (!owner.equals("root") && (me == null || !owner.equals(me))) {
                throw new IOException("refusing to extract the native library under " + parent + ": " + d
                        + " belongs to " + owner + ", who could replace it before it is loaded; set "
                        + DIR_PROPERTY + " to a directory of yours");
            }
            if (writableByOthers && !sticky) {
                throw new IOException("refusing to extract the native library under " + parent + ": " + d
                        + " is writable by other users and not sticky (mode " + Integer.toOctalString(mode & 07777)
                        + "), so they could swap the library before it is loaded; set " + DIR_PROPERTY
                        + " to a directory only you can write to");
            }
        }
    }

    /**
     * JNA's own stub (libjnidispatch) is extracted where {@code jna.tmpdir} points when JNA
     * first loads: our private directory, unless the application chose a place itself.
     * The property is restored afterwards, so it never points at a directory that is gone.
     */
    private static <T> T withJnaStubIn(Path privateDir, java.util.function.Supplier<T> load) {
        String chosen = System.getProperty("jna.tmpdir");
        if (chosen != null || privateDir == null) {
            return load.get();
        }
        System.setProperty("jna.tmpdir", privateDir.toString());
        try {
            return load.get();
        } finally {
            System.clearProperty("jna.tmpdir");
        }
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
