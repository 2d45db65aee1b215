package io.tlsaccel.bench;

import io.tlsaccel.crypto.MacAlgorithm;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Per-thread HMAC state; as in {@link AeadStates} the path is the benchmark method's name.
 * The algorithm comes from the class: HmacSha256* or HmacSha384*.
 */
public final class MacStates {

    private MacStates() {
    }

    static MacAlgorithm algorithm(BenchmarkParams params) {
        String cls = AeadStates.benchmarkClass(params);
        if (cls.startsWith("HmacSha256")) {
            return MacAlgorithm.HMAC_SHA256;
        }
        if (cls.startsWith("HmacSha384")) {
            return MacAlgorithm.HMAC_SHA384;
        }
        throw new IllegalStateException("no MAC algorithm for " + params.getBenchmark());
    }

    @State(Scope.Thread)
    public static class Data {
        MacAlgorithm alg;
        int size;
        String path;
        byte[] message;
        byte[] out;
        MacRunner runner;

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) throws Exception {
            alg = algorithm(params);
            size = Integer.parseInt(params.getParam("size"));
            path = AeadStates.method(params);
            byte[] key = Fixtures.randomKey(alg.macLength());
            message = Fixtures.random(size, size);
            out = new byte[alg.macLength()];
            runner = Fixtures.mac(path, alg, key, impl());
            Fixtures.checkMac(alg.jcaName() + " " + path, runner, alg, key, message);
        }

        String impl() {
            return null;
        }

        /** One whole MAC of the message (update + doFinal, which resets). */
        public final int mac() throws Exception {
            return runner.mac(message, size, out);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (runner != null) {
                runner.close();
            }
        }
    }

    @State(Scope.Thread)
    public static class Sha256Impl extends Data {
        @Param({"shani", "portable"})
        public String sha256Impl;

        @Override
        String impl() {
            return sha256Impl;
        }
    }

    @State(Scope.Thread)
    public static class Sha384Impl extends Data {
        @Param({"avx2", "portable"})
        public String sha384Impl;

        @Override
        String impl() {
            return sha384Impl;
        }
    }
}
