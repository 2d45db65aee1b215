package io.tlsaccel.bench.netty;

/** What one measurement does, on one protocol. */
record Job(Kind kind, Protocol protocol) {

    enum Kind {
        /** One connection, the client writing 16 KiB records as fast as the server takes them. */
        BULK("bulk transfer", "MB/s", "MB"),
        /** Sequential connections, each a full handshake (the client names no peer, so caches nothing). */
        FULL("full handshakes", "handshakes/s", "handshake"),
        /** Sequential connections to the same host and port with the client's session cache on. */
        RESUMING("handshakes, client session cache on", "handshakes/s", "handshake");

        final String title;
        final String rateUnit;
        final String opName;

        Kind(String title, String rateUnit, String opName) {
            this.title = title;
            this.rateUnit = rateUnit;
            this.opName = opName;
        }
    }

    String title() {
        return protocol.label() + " " + kind.title;
    }
}
