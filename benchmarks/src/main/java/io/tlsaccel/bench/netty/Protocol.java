package io.tlsaccel.bench.netty;

/** The two configurations measured: TLS 1.3 and TLS 1.2, each with one AES-128-GCM suite. */
enum Protocol {
    TLS13("TLSv1.3", "TLS_AES_128_GCM_SHA256"),
    TLS12("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");

    final String jsseName;
    final String suite;

    Protocol(String jsseName, String suite) {
        this.jsseName = jsseName;
        this.suite = suite;
    }

    /** "TLS 1.3" or "TLS 1.2". */
    String label() {
        return jsseName.replace("TLSv", "TLS ");
    }
}
