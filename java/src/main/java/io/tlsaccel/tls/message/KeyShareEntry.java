package io.tlsaccel.tls.message;

/** A KeyShareEntry (RFC 8446 4.2.8): group and public key_exchange bytes. */
public record KeyShareEntry(int group, byte[] keyExchange) {
    @Override
    public String toString() {
        return "KeyShareEntry[" + group + "]";
    }
}
