package io.tlsaccel.nativelib;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the loader agrees to extract the library: never where another user could swap it. */
class NativeLoaderParentTest {

    private static Path dir(Path base, String name, int mode) throws IOException {
        Path d = Files.createDirectories(base.resolve(name));
        Files.setAttribute(d, "unix:mode", mode);
        return d;
    }

    @Test
    void aDirectoryOthersCanWriteWithoutTheStickyBitIsRefused(@TempDir Path base) throws IOException {
        Files.setAttribute(base, "unix:mode", 0700);
        IOException e = assertThrows(IOException.class, () -> NativeLoader.checkSafeParent(dir(base, "shared", 0777)));
        assertTrue(e.getMessage().contains("not sticky"), e.getMessage());
        assertTrue(e.getMessage().contains(NativeLoader.DIR_PROPERTY), "says what to do: " + e.getMessage());
        assertThrows(IOException.class, () -> NativeLoader.checkSafeParent(dir(base, "group", 0775)));
    }

    @Test
    void anUnsafeDirectoryHigherUpIsRefusedToo(@TempDir Path base) throws IOException {
        Files.setAttribute(base, "unix:mode", 0700);
        Path shared = dir(base, "shared", 0777);
        Path mine = dir(shared, "mine", 0700);
        assertThrows(IOException.class, () -> NativeLoader.checkSafeParent(mine));
    }

    @Test
    void privateAndStickyDirectoriesAreAccepted(@TempDir Path base) throws IOException {
        Files.setAttribute(base, "unix:mode", 0700);
        assertDoesNotThrow(() -> NativeLoader.checkSafeParent(dir(base, "private", 0700)));
        assertDoesNotThrow(() -> NativeLoader.checkSafeParent(dir(base, "sticky", 01777)));
        assertDoesNotThrow(() -> NativeLoader.checkSafeParent(Path.of(System.getProperty("java.io.tmpdir"))));
    }
}
