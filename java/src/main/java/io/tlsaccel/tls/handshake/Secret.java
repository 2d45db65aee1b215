package io.tlsaccel.tls.handshake;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One secret a handshake holds (a traffic secret, a shared secret): the only place its bytes
 * live, zeroed by {@link #close()} or when {@link #replace(byte[]) replaced}, never printed.
 * A machine makes its secrets through its {@link Owner}, and closing the owner (the machine's
 * {@code destroy()}) wipes every one still alive.
 */
final class Secret implements AutoCloseable {
    private byte[] value;

    private Secret(byte[] value) {
        this.value = value;
    }

    /** The bytes, for the key schedule; a closed secret is a programming error. */
    byte[] bytes() {
        if (value == null) {
            throw new IllegalStateException("secret already wiped");
        }
        return value;
    }

    /** Takes {@code next} (not copied) in place of the current value, which is wiped (RFC 8446 7.2 key updates). */
    void replace(byte[] next) {
        close();
        value = next;
    }

    @Override
    public void close() {
        if (value != null) {
            Arrays.fill(value, (byte) 0);
            value = null;
        }
    }

    @Override
    public String toString() {
        return value == null ? "Secret[wiped]" : "Secret[" + value.length + " bytes]";
    }

    /** The secrets of one handshake: every secret it made, wiped together when it is destroyed. */
    static final class Owner implements AutoCloseable {
        private final List<Secret> secrets = new ArrayList<>();

        /** Takes {@code value} (not copied) as a new secret of this owner. */
        Secret own(byte[] value) {
            Secret s = new Secret(value);
            secrets.add(s);
            return s;
        }

        /** A client/server pair from the key schedule. */
        Pair own(KeySchedule.TrafficSecrets t) {
            return new Pair(own(t.client()), own(t.server()));
        }

        @Override
        public void close() {
            for (Secret s : secrets) {
                s.close();
            }
            secrets.clear();
        }
    }

    /** The client's and the server's traffic secret of one stage (handshake or application). */
    record Pair(Secret client, Secret server) implements AutoCloseable {
        Secret own(boolean isClient) {
            return isClient ? client : server;
        }

        Secret peer(boolean isClient) {
            return isClient ? server : client;
        }

        @Override
        public void close() {
            client.close();
            server.close();
        }
    }
}
