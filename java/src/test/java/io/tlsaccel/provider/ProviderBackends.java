package io.tlsaccel.provider;

import io.tlsaccel.crypto.Backend;
import io.tlsaccel.crypto.Backends;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The backends the provider tests run on: "java" always, "native" when
 * {@code Backends.get("native")} works here (otherwise those runs are skipped with the reason,
 * or fail under CI=true, where the native layer must be present).
 */
final class ProviderBackends {

    private static final Map<String, TlsAccelProvider> PROVIDERS = new ConcurrentHashMap<>();

    private ProviderBackends() {
    }

    /** Argument source for parameterised tests; {@code -Dtlsaccel.provider.backends=native}
     * (a comma-separated list) narrows it, e.g. for the slow emulated AArch64 runs. */
    static Stream<String> names() {
        List<String> wanted = List.of(System.getProperty("tlsaccel.provider.backends", "java,native").split(","));
        return Stream.of("java", "native").filter(wanted::contains);
    }

    /** The provider on the named backend, or a skipped test when that backend cannot run. */
    static TlsAccelProvider provider(String name) {
        return PROVIDERS.computeIfAbsent(name, n -> new TlsAccelProvider(backend(n)));
    }

    /**
     * When the runtime selection cannot run (a forced backend that is absent), checks that the
     * default provider says so through getInstance, then skips the calling test.
     */
    static void requireSelectedBackend() {
        Backends.Selection s = Backends.selection();
        if (s.backend() == null) {
            java.security.NoSuchAlgorithmException e = org.junit.jupiter.api.Assertions.assertThrows(
                    java.security.NoSuchAlgorithmException.class,
                    () -> javax.crypto.Cipher.getInstance("AES/GCM/NoPadding", new TlsAccelProvider()));
            Throwable t = e;
            boolean said = false;
            for (; t != null; t = t.getCause()) {
                said |= t.getMessage() != null && t.getMessage().contains(s.reason());
            }
            org.junit.jupiter.api.Assertions.assertTrue(said, "the reason reaches the caller: " + e);
            System.out.println("SKIPPED: selected backend cannot run: " + s.reason());
            Assumptions.abort("selected backend cannot run: " + s.reason());
        }
    }

    static Backend backend(String name) {
        try {
            return Backends.get(name);
        } catch (RuntimeException | LinkageError e) {
            String reason = e.getMessage() != null && e.getMessage().contains("unavailable")
                    ? e.getMessage() : name + " backend unavailable: " + e.getMessage();
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(reason + " (CI=true: it must run)", e);
            }
            System.out.println("SKIPPED: " + reason);
            Assumptions.abort(reason);
            throw new AssertionError("unreachable");
        }
    }
}
