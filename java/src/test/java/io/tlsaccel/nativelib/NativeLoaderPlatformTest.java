package io.tlsaccel.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The loader's choice of library folder by os.name / os.arch. */
class NativeLoaderPlatformTest {

    private static String platformFor(String os, String arch) {
        String oldOs = System.getProperty("os.name");
        String oldArch = System.getProperty("os.arch");
        try {
            System.setProperty("os.name", os);
            System.setProperty("os.arch", arch);
            return NativeLoader.platform();
        } finally {
            System.setProperty("os.name", oldOs);
            System.setProperty("os.arch", oldArch);
        }
    }

    @Test
    void x86_64() {
        assertEquals("linux-x86_64", platformFor("Linux", "amd64"));
        assertEquals("linux-x86_64", platformFor("Linux", "x86_64"));
    }

    @Test
    void aarch64() {
        assertEquals("linux-aarch64", platformFor("Linux", "aarch64"));
        assertEquals("linux-aarch64", platformFor("Linux", "arm64"));
    }

    @Test
    void othersHaveNone() {
        assertNull(platformFor("Linux", "riscv64"));
        assertNull(platformFor("Linux", "arm"));
        assertNull(platformFor("Mac OS X", "aarch64"));
    }
}
