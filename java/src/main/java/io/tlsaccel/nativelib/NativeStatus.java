package io.tlsaccel.nativelib;

import java.util.List;

/**
 * What happened when the C library was looked for: loaded or not and why, where it came
 * from, the CPU features it sees, and its self-test result.
 *
 * @param loaded          the library is loaded and its version matches ours
 * @param reason          why it is not usable (null when it is)
 * @param source          where it was loaded from (a jar resource or a path)
 * @param version         the library's version ("" when not loaded)
 * @param cpuFeatures     features the dispatcher may use (after TLSACCEL_CPU_MASK)
 * @param cpuDetected     features the CPU and OS offer
 * @param selfTestPassed  known answers right on every usable implementation
 * @param selfTestFailure the first failing algorithm (null when passed)
 */
public record NativeStatus(boolean loaded, String reason, String source, String version,
                           List<String> cpuFeatures, List<String> cpuDetected,
                           boolean selfTestPassed, String selfTestFailure) {

    static NativeStatus failed(String reason, String source) {
        return new NativeStatus(false, reason, source, "", List.of(), List.of(), false, null);
    }

    /** Loaded and self-tested: the native data plane may be used. */
    public boolean usable() {
        return loaded && selfTestPassed;
    }
}
