package io.tlsaccel.bench.netty;

/**
 * One engine's measurement of one job: operations (MB or handshakes) per second, CPU per
 * operation in microseconds (both ends' event loops, and the whole process), and for handshake
 * jobs how many of the measured handshakes were full ones (the client checked a server chain).
 */
record Result(Job job, String engine, double ops, double seconds, double loopCpuMicros, double processCpuMicros,
        long fullHandshakes) {

    /** This and another window of the same engine and job, as one measurement. */
    Result plus(Result other) {
        return new Result(job, engine, ops + other.ops, seconds + other.seconds, loopCpuMicros + other.loopCpuMicros,
                processCpuMicros + other.processCpuMicros, fullHandshakes + other.fullHandshakes);
    }

    double rate() {
        return ops / seconds;
    }

    double loopCpuPerOp() {
        return loopCpuMicros / ops;
    }

    double processCpuPerOp() {
        return processCpuMicros / ops;
    }

    /** Share of handshakes that were full ones (1.0 = none resumed); NaN for bulk. */
    double fullShare() {
        return job.kind() == Job.Kind.BULK ? Double.NaN : fullHandshakes / ops;
    }
}
