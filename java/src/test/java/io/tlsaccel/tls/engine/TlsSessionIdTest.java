package io.tlsaccel.tls.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A session's ID: random and made only when asked for, then fixed; or the handshake's. */
class TlsSessionIdTest {

    @Test
    void aRandomIdIsMadeOnceAndKept() {
        TlsSession a = new TlsSession(null, "a.example", 443);
        TlsSession b = new TlsSession(null, "a.example", 443);
        byte[] id = a.getId();
        assertEquals(32, id.length);
        assertArrayEquals(id, a.getId());
        assertFalse(Arrays.equals(id, b.getId()), "two sessions, two IDs");
        id[0] ^= 1;
        assertFalse(Arrays.equals(id, a.getId()), "getId hands out a copy");
    }

    @Test
    void theHandshakesIdReplacesIt() {
        TlsSession s = new TlsSession(null, null, -1);
        byte[] serverId = new byte[] {1, 2, 3, 4};
        s.useId(serverId);
        assertArrayEquals(serverId, s.getId());
        s.useId(new byte[0]);
        assertArrayEquals(serverId, s.getId(), "an empty ID from the server changes nothing");
    }
}
