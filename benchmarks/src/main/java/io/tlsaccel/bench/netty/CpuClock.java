package io.tlsaccel.bench.netty;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * CPU time at a point: the whole process (every thread: event loops, JIT, GC) and the two
 * event-loop threads (the TLS work of both ends). Differences over a window, divided by the
 * operations done in it, give CPU per operation.
 */
final class CpuClock {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final List<Long> loopThreads;

    record Sample(long wallNanos, long processCpuNanos, long loopCpuNanos) {
    }

    CpuClock(List<Long> loopThreads) {
        this.loopThreads = loopThreads;
        if (!threads.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure thread CPU time");
        }
        threads.setThreadCpuTimeEnabled(true);
    }

    Sample now() {
        long loops = 0;
        for (long id : loopThreads) {
            loops += threads.getThreadCpuTime(id);
        }
        return new Sample(System.nanoTime(), os.getProcessCpuTime(), loops);
    }
}
