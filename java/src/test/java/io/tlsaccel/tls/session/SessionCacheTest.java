package io.tlsaccel.tls.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SessionCacheTest {
    private final AtomicLong now = new AtomicLong(1_000_000);

    @Test
    void leastRecentlyUsedGoesFirst() {
        SessionCache<String, Integer> c = new SessionCache<>(2, 0, now::get);
        c.put("a", 1);
        c.put("b", 2);
        assertEquals(1, c.get("a")); // a is now the most recent
        c.put("c", 3);
        assertNull(c.get("b"));
        assertEquals(List.of("a", "c"), c.keys());
        c.setCapacity(1);
        assertEquals(List.of("c"), c.keys());
        c.setCapacity(0); // no limit
        for (int i = 0; i < 1000; i++) {
            c.put("k" + i, i);
        }
        assertEquals(1001, c.size());
    }

    @Test
    void entriesExpireAfterTheTimeout() {
        SessionCache<String, Integer> c = new SessionCache<>(0, 10, now::get);
        c.put("a", 1);
        now.addAndGet(9_999);
        assertEquals(1, c.get("a"));
        assertTrue(!c.isExpired(now.get() - 9_999));
        now.addAndGet(1);
        assertNull(c.get("a"));
        assertEquals(0, c.size(), "dropped when met");
        c.put("b", 2);
        c.setTimeout(0);
        now.addAndGet(1_000_000_000L);
        assertEquals(2, c.get("b"), "0 means never");
    }

    @Test
    void expiredEntriesAreSweptOnInsertionAndListing() {
        SessionCache<String, Integer> c = new SessionCache<>(0, 1, now::get);
        for (int i = 0; i < 8; i++) {
            c.put("old" + i, i);
        }
        now.addAndGet(2_000);
        c.put("new", 1);
        assertTrue(c.size() <= 5, "a bounded sweep on insertion: " + c.size());
        assertEquals(List.of("new"), c.keys());
        assertEquals(1, c.size());
    }

    @Test
    void refusesNegativeSettings() {
        SessionCache<String, Integer> c = new SessionCache<>(1, 1);
        assertThrows(IllegalArgumentException.class, () -> c.setCapacity(-1));
        assertThrows(IllegalArgumentException.class, () -> c.setTimeout(-1));
    }
}
