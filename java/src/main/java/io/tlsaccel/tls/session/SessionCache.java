package io.tlsaccel.tls.session;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A bounded, expiring cache with the semantics {@link javax.net.ssl.SSLSessionContext}
 * promises: at most {@code capacity} entries (0: no limit), the least recently used dropped
 * first; an entry older than {@code timeout} seconds (0: no limit) is never returned and is
 * dropped when met. Lookups and insertions are O(1); expiry is swept as entries are met, plus
 * one bounded sweep from the oldest end on every insertion, so no call ever costs more than
 * a small constant on top of the map operation.
 *
 * @param <K> the key (a session ID wrapper, a peer's host and port)
 * @param <V> what is remembered
 */
public final class SessionCache<K, V> {

    private record Entry<V>(V value, long createdMillis) {
    }

    /** Entries examined from the oldest end per insertion. */
    private static final int SWEEP = 4;

    private final LongSupplier clock;
    private final LinkedHashMap<K, Entry<V>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private int capacity;
    private long timeoutMillis;

    public SessionCache(int capacity, int timeoutSeconds) {
        this(capacity, timeoutSeconds, System::currentTimeMillis);
    }

    SessionCache(int capacity, int timeoutSeconds, LongSupplier clock) {
        this.clock = clock;
        setCapacity(capacity);
        setTimeout(timeoutSeconds);
    }

    public synchronized void put(K key, V value) {
        long now = clock.getAsLong();
        entries.put(key, new Entry<>(value, now));
        sweep(now);
        trim();
    }

    /** The value, or null when absent or expired (an expired entry is dropped). */
    public synchronized V get(K key) {
        Entry<V> e = entries.get(key);
        if (e == null) {
            return null;
        }
        if (expired(e, clock.getAsLong())) {
            entries.remove(key);
            return null;
        }
        return e.value();
    }

    public synchronized V remove(K key) {
        Entry<V> e = entries.remove(key);
        return e == null ? null : e.value();
    }

    /** The keys of live entries, oldest use first. */
    public synchronized List<K> keys() {
        long now = clock.getAsLong();
        List<K> out = new ArrayList<>();
        for (Iterator<Map.Entry<K, Entry<V>>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<K, Entry<V>> e = it.next();
            if (expired(e.getValue(), now)) {
                it.remove();
            } else {
                out.add(e.getKey());
            }
        }
        return out;
    }

    public synchronized int size() {
        return entries.size();
    }

    /** 0 means no limit. Shrinking drops the least recently used entries at once. */
    public synchronized void setCapacity(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("negative cache size");
        }
        this.capacity = capacity;
        trim();
    }

    public synchronized int capacity() {
        return capacity;
    }

    /** In seconds; 0 means entries never expire. */
    public synchronized void setTimeout(int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("negative timeout");
        }
        this.timeoutMillis = seconds * 1000L;
    }

    public synchronized int timeoutSeconds() {
        return (int) (timeoutMillis / 1000);
    }

    /** Whether something created at {@code createdMillis} is past the timeout now. */
    public synchronized boolean isExpired(long createdMillis) {
        return timeoutMillis > 0 && clock.getAsLong() - createdMillis >= timeoutMillis;
    }

    private boolean expired(Entry<V> e, long now) {
        return timeoutMillis > 0 && now - e.createdMillis() >= timeoutMillis;
    }

    private void sweep(long now) {
        Iterator<Entry<V>> it = entries.values().iterator();
        for (int i = 0; i < SWEEP && it.hasNext(); i++) {
            if (expired(it.next(), now)) {
                it.remove();
            }
        }
    }

    private void trim() {
        if (capacity == 0) {
            return;
        }
        Iterator<K> it = entries.keySet().iterator();
        while (entries.size() > capacity && it.hasNext()) {
            it.next();
            it.remove();
        }
    }
}
