package io.tlsaccel.tls.engine;

import io.tlsaccel.tls.handshake.NamedGroup;
import io.tlsaccel.tls.policy.JdkTlsPolicy;
import java.util.List;

/**
 * What a context's engines start with before the application changes anything: the policy is
 * read once per context, so its defaults are worked out once too, not by every engine (a
 * server makes one engine per connection).
 */
final class EngineDefaults {
    private final List<NamedGroup> groups;
    private final String[] clientSuites;
    private final String[] serverSuites;
    private final String[] clientProtocols;
    private final String[] serverProtocols;

    EngineDefaults(List<String> supportedProtocols, JdkTlsPolicy policy) {
        this.groups = EngineSettings.defaultGroups(policy);
        List<String> allSuites = List.of(EngineSettings.allSuiteNames());
        this.clientSuites = policy.defaultCipherSuites(true, allSuites).toArray(new String[0]);
        this.serverSuites = policy.defaultCipherSuites(false, allSuites).toArray(new String[0]);
        this.clientProtocols = policy.defaultProtocols(true, supportedProtocols).toArray(new String[0]);
        this.serverProtocols = policy.defaultProtocols(false, supportedProtocols).toArray(new String[0]);
    }

    List<NamedGroup> groups() {
        return groups;
    }

    /** A copy the caller may keep. */
    String[] suites(boolean client) {
        return (client ? clientSuites : serverSuites).clone();
    }

    /** A copy the caller may keep. */
    String[] protocols(boolean client) {
        return (client ? clientProtocols : serverProtocols).clone();
    }
}
