package io.tlsaccel.tls.ticket;

import io.tlsaccel.crypto.Aead;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.Backend;
import io.tlsaccel.crypto.Backends;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import javax.crypto.AEADBadTagException;

/**
 * The keys that seal and open session tickets: one current key (seals and opens) and the
 * previous ones (open only), so tickets issued just before a rotation still resume.
 *
 * <p>A ticket is {@code key_name(16) || nonce(12) || AES-256-GCM(state) || tag(16)}, the key
 * name also bound in as the AAD. Contents are secret and authenticated; a ticket under an
 * unknown key, or one whose tag fails, opens to {@code null}: the caller then runs a full
 * handshake (RFC 5077 3.3, RFC 8446 4.6.1), never an error.
 *
 * <p>The keys come from one of three places: {@link #of} (the application installs them, and
 * may call {@link #install} again to rotate), {@link #rotating} (generated here, a new current
 * key every period: for a single server), or {@link TicketKeyFile} (a file a fleet shares).
 * The key set is swapped as a whole; sealing and opening take the set in force at the time.
 */
public final class TicketKeys implements AutoCloseable {
    /** Overhead of a ticket over its contents. */
    public static final int OVERHEAD = TicketKey.NAME_LENGTH + 12 + 16;
    /** Keys kept in a rotating set: the current and the one before it. */
    static final int ROTATING_KEPT = 2;

    private static final Backend JAVA = Backends.get("java");

    /** One key with its cipher, made once when the key is installed. */
    private static final class Entry {
        final TicketKey key;
        final Aead aead;

        Entry(TicketKey key) {
            this.key = key;
            // The pure-Java backend: a ticket is sealed once per handshake, where the JNI
            // call would save next to nothing, and an SSLContext's ticket keys then hold no
            // native context (the count of those falls to zero when the engines are gone).
            this.aead = JAVA.newAead(AeadAlgorithm.AES_256_GCM, key.secret());
        }

        void close() {
            synchronized (this) {
                aead.close();
            }
            key.destroy();
        }
    }

    /** The key set in force; index 0 is the current key. */
    private record KeySet(List<Entry> entries, Instant installed) {
    }

    private final SecureRandom random;
    private final Clock clock;
    /** Non-null for a rotating set: how long a key stays current. */
    private final Duration rotationPeriod;
    /** Non-null for a file-backed set: asked before each use whether newer keys are there. */
    private volatile Supplier<List<TicketKey>> refresher;
    private volatile KeySet keys;
    private volatile boolean closed;

    private TicketKeys(SecureRandom random, Clock clock, Duration rotationPeriod) {
        this.random = random;
        this.clock = clock;
        this.rotationPeriod = rotationPeriod;
    }

    /** A fixed set: {@code current} seals, all of them open. */
    public static TicketKeys of(TicketKey current, TicketKey... previous) {
        TicketKeys t = new TicketKeys(new SecureRandom(), Clock.systemUTC(), null);
        List<TicketKey> all = new ArrayList<>();
        all.add(Objects.requireNonNull(current));
        all.addAll(List.of(previous));
        t.install(all);
        return t;
    }

    /**
     * Keys made here, in memory: a new current key every {@code period}, the previous one
     * still accepted for one more period. Issue tickets with a lifetime of at most
     * {@code period} so none outlives the key that opens it.
     */
    public static TicketKeys rotating(Duration period) {
        return rotating(period, new SecureRandom(), Clock.systemUTC());
    }

    static TicketKeys rotating(Duration period, SecureRandom random, Clock clock) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("rotation period must be positive");
        }
        TicketKeys t = new TicketKeys(random, clock, period);
        t.install(List.of(TicketKey.generate(random)));
        return t;
    }

    /** Keys from a file, read again whenever it changes (see {@link TicketKeyFile}). */
    static TicketKeys refreshing(List<TicketKey> initial, Supplier<List<TicketKey>> newerKeys) {
        TicketKeys t = new TicketKeys(new SecureRandom(), Clock.systemUTC(), null);
        t.install(initial);
        t.refresher = newerKeys;
        return t;
    }

    /**
     * Replaces the whole set: the first key becomes current, the others open only. This is
     * how an application rotates keys it gets from its own secret store. The old keys are
     * wiped once replaced.
     */
    public void install(List<TicketKey> keysInOrder) {
        if (keysInOrder.isEmpty()) {
            throw new IllegalArgumentException("at least one ticket key is needed");
        }
        List<Entry> entries = new ArrayList<>();
        for (TicketKey k : keysInOrder) {
            entries.add(new Entry(k));
        }
        KeySet old;
        synchronized (this) {
            if (closed) {
                entries.forEach(Entry::close);
                throw new IllegalStateException("ticket keys closed");
            }
            old = keys;
            keys = new KeySet(List.copyOf(entries), clock.instant());
        }
        if (old != null) {
            for (Entry e : old.entries()) {
                if (!entries.contains(e)) {
                    e.close();
                }
            }
        }
    }

    /** Seals ticket contents under the current key. */
    public byte[] seal(byte[] state) {
        byte[] ticket = new byte[OVERHEAD + state.length];
        byte[] nonce = new byte[12];
        random.nextBytes(nonce); // random nonces: safe for far more tickets than one key ever seals
        System.arraycopy(nonce, 0, ticket, TicketKey.NAME_LENGTH, 12);
        for (int attempt = 0; ; attempt++) {
            Entry current = inForce().entries().get(0);
            System.arraycopy(current.key.name(), 0, ticket, 0, TicketKey.NAME_LENGTH);
            try {
                synchronized (current) {
                    current.aead.seal(nonce, ticket, 0, TicketKey.NAME_LENGTH, state, 0, state.length,
                            ticket, TicketKey.NAME_LENGTH + 12);
                }
                return ticket;
            } catch (IllegalStateException replacedMeanwhile) {
                if (attempt > 0 || closed) {
                    throw replacedMeanwhile;
                }
            }
        }
    }

    /** The contents of a ticket, or null when no key in force opens it. */
    public byte[] open(byte[] ticket) {
        if (ticket.length < OVERHEAD) {
            return null;
        }
        for (Entry e : inForce().entries()) {
            if (!e.key.hasName(ticket, 0)) {
                continue;
            }
            byte[] nonce = java.util.Arrays.copyOfRange(ticket, TicketKey.NAME_LENGTH, TicketKey.NAME_LENGTH + 12);
            byte[] state = new byte[ticket.length - OVERHEAD];
            try {
                synchronized (e) {
                    e.aead.open(nonce, ticket, 0, TicketKey.NAME_LENGTH, ticket, TicketKey.NAME_LENGTH + 12,
                            ticket.length - TicketKey.NAME_LENGTH - 12, state, 0);
                }
                return state;
            } catch (AEADBadTagException | IllegalStateException badOrClosed) {
                return null;
            }
        }
        return null;
    }

    /** The set in force, rotated or re-read first where that is due. */
    private KeySet inForce() {
        if (closed) {
            throw new IllegalStateException("ticket keys closed");
        }
        Supplier<List<TicketKey>> r = refresher;
        if (r != null) {
            List<TicketKey> newer = r.get();
            if (newer != null) {
                install(newer);
            }
        }
        KeySet k = keys;
        if (rotationPeriod != null && !clock.instant().isBefore(k.installed().plus(rotationPeriod))) {
            synchronized (this) {
                k = keys;
                if (!clock.instant().isBefore(k.installed().plus(rotationPeriod))) {
                    rotate(k);
                    k = keys;
                }
            }
        }
        return k;
    }

    private void rotate(KeySet old) {
        List<TicketKey> next = new ArrayList<>();
        next.add(TicketKey.generate(random));
        for (int i = 0; i < ROTATING_KEPT - 1 && i < old.entries().size(); i++) {
            next.add(old.entries().get(i).key);
        }
        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry(next.get(0)));
        for (int i = 1; i < next.size(); i++) {
            entries.add(old.entries().get(i - 1)); // kept with its cipher
        }
        keys = new KeySet(List.copyOf(entries), clock.instant());
        for (Entry e : old.entries()) {
            if (!entries.contains(e)) {
                e.close();
            }
        }
    }

    /** How many keys open tickets now (for `info` and tests). */
    public int size() {
        return keys.entries().size();
    }

    /** Wipes every key. */
    @Override
    public void close() {
        KeySet k;
        synchronized (this) {
            closed = true;
            k = keys;
        }
        if (k != null) {
            k.entries().forEach(Entry::close);
        }
    }

    @Override
    public String toString() {
        List<TicketKey> names = new ArrayList<>();
        for (Entry e : keys.entries()) {
            names.add(e.key);
        }
        return "TicketKeys" + names; // names only: TicketKey.toString hides the secret
    }
}
