package io.tlsaccel.tls.engine;

import io.tlsaccel.tls.session.ClientTicket;
import io.tlsaccel.tls.session.ResumptionState;
import io.tlsaccel.tls.session.SessionCache;
import io.tlsaccel.tls.ticket.TicketKeys;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.Enumeration;
import java.util.List;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;

/**
 * The sessions one side of an {@code SSLContext} remembers ({@code getServerSessionContext()}
 * / {@code getClientSessionContext()}), bounded by {@link #setSessionCacheSize} and
 * {@link #setSessionTimeout} as the JSSE contract says:
 * <ul>
 * <li>both sides: the established sessions by ID ({@link #getIds}, {@link #getSession});
 * <li>a client: the tickets each peer (host, port and server name) gave it, offered on the
 *     next connection to that peer (RFC 8446 4.6.1, C.4: each once);
 * <li>a server: the keys its stateless tickets are sealed with ({@link #setTicketKeys}; by
 *     default keys made here that rotate daily), how many tickets to send and for how long,
 *     and the IDs of invalidated sessions, whose tickets are refused until they expire.
 * </ul>
 * Cast {@code SSLContext.getServerSessionContext()} to this class to share ticket keys across
 * a fleet ({@link io.tlsaccel.tls.ticket.TicketKeyFile}).
 */
public final class TlsSessionContext implements SSLSessionContext {
    /** SunJSSE's defaults: 24 hours, 20,480 sessions. */
    static final int DEFAULT_TIMEOUT_SECONDS = 86400;
    static final int DEFAULT_CACHE_SIZE = 20480;
    /** RFC 8446 4.6.1: a ticket lives at most 7 days. */
    static final long MAX_TICKET_LIFETIME_SECONDS = 604800;
    /** Tickets kept per peer (a server sends two by default). */
    private static final int TICKETS_PER_PEER = 4;

    /** A session ID as a map key. */
    private record Id(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Id other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    private final boolean client;
    private final SessionCache<Id, TlsSession> sessions = new SessionCache<>(DEFAULT_CACHE_SIZE, DEFAULT_TIMEOUT_SECONDS);
    private final SessionCache<String, Deque<ClientTicket>> tickets = new SessionCache<>(DEFAULT_CACHE_SIZE, DEFAULT_TIMEOUT_SECONDS);
    /** Server: TLS 1.2 sessions by ID, for abbreviated handshakes (RFC 5246 7.3). */
    private final SessionCache<Id, ResumptionState> tls12Sessions = new SessionCache<>(DEFAULT_CACHE_SIZE, DEFAULT_TIMEOUT_SECONDS);
    private final SessionCache<Id, Boolean> invalidated = new SessionCache<>(0, (int) MAX_TICKET_LIFETIME_SECONDS);
    private volatile TicketKeys ticketKeys;
    private volatile boolean ownKeys;
    private volatile int ticketCount = 2;
    private volatile long ticketLifetimeSeconds = -1;

    TlsSessionContext(boolean client) {
        this.client = client;
    }

    // ---- SSLSessionContext ----

    @Override
    public SSLSession getSession(byte[] sessionId) {
        return sessionId == null ? null : sessions.get(new Id(sessionId.clone()));
    }

    @Override
    public Enumeration<byte[]> getIds() {
        List<byte[]> ids = new ArrayList<>();
        for (Id id : sessions.keys()) {
            ids.add(id.bytes().clone());
        }
        return Collections.enumeration(ids);
    }

    @Override
    public void setSessionTimeout(int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("negative timeout");
        }
        sessions.setTimeout(seconds);
        tickets.setTimeout(seconds);
        tls12Sessions.setTimeout(seconds);
    }

    @Override
    public int getSessionTimeout() {
        return sessions.timeoutSeconds();
    }

    @Override
    public void setSessionCacheSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size");
        }
        sessions.setCapacity(size);
        tickets.setCapacity(size);
        tls12Sessions.setCapacity(size);
    }

    @Override
    public int getSessionCacheSize() {
        return sessions.capacity();
    }

    // ---- server: tickets ----

    /**
     * The keys tickets are sealed and opened with; install the same keys on every server of a
     * fleet so that any of them resumes a session another began. Null: no tickets at all.
     */
    public void setTicketKeys(TicketKeys keys) {
        TicketKeys old;
        synchronized (this) {
            old = ownKeys ? ticketKeys : null;
            ticketKeys = keys;
            ownKeys = false;
        }
        if (old != null) {
            old.close();
        }
    }

    /**
     * How many NewSessionTickets a TLS 1.3 server sends after each handshake (default 2). 0
     * turns tickets off for both versions (TLS 1.2 then resumes by session ID only).
     */
    public void setTicketCount(int count) {
        if (count < 0 || count > 16) {
            throw new IllegalArgumentException("ticket count must be 0-16");
        }
        ticketCount = count;
    }

    public int getTicketCount() {
        return ticketCount;
    }

    /** Ticket lifetime; by default the session timeout, at most 7 days (RFC 8446 4.6.1). */
    public void setTicketLifetime(Duration lifetime) {
        long s = lifetime.toSeconds();
        if (s <= 0 || s > MAX_TICKET_LIFETIME_SECONDS) {
            throw new IllegalArgumentException("ticket lifetime must be 1 s to 7 days");
        }
        ticketLifetimeSeconds = s;
    }

    public Duration getTicketLifetime() {
        return Duration.ofSeconds(ticketLifetime());
    }

    long ticketLifetime() {
        long s = ticketLifetimeSeconds;
        if (s > 0) {
            return s;
        }
        int timeout = getSessionTimeout();
        return timeout == 0 ? MAX_TICKET_LIFETIME_SECONDS : Math.min(timeout, MAX_TICKET_LIFETIME_SECONDS);
    }

    /** The keys in force; the first call on a server without installed keys makes rotating ones. */
    TicketKeys ticketKeys() {
        TicketKeys k = ticketKeys;
        if (k != null || client) {
            return k;
        }
        synchronized (this) {
            if (ticketKeys == null && !ownKeys) {
                // A key is current for one lifetime and still opens for one more, so every ticket
                // opens for its whole lifetime.
                ticketKeys = TicketKeys.rotating(Duration.ofSeconds(ticketLifetime()));
                ownKeys = true;
            }
            return ticketKeys;
        }
    }

    /** Server: a TLS 1.2 session to resume (a copy: the caller wipes it), or null. */
    ResumptionState cachedSession(byte[] sessionId) {
        ResumptionState st = tls12Sessions.get(new Id(sessionId.clone()));
        return st == null ? null : new ResumptionState(st.version(), st.suite(), st.secret().clone(), st.createdMillis(),
                st.lifetimeSeconds(), st.ageAdd(), st.serverName(), st.sessionId(), st.peerCertificates());
    }

    void cacheSession(byte[] sessionId, ResumptionState state) {
        tls12Sessions.put(new Id(sessionId.clone()), state);
    }

    boolean isInvalidated(byte[] sessionId) {
        return invalidated.size() > 0 && invalidated.get(new Id(sessionId)) != null;
    }

    // ---- both sides: sessions; client: tickets per peer ----

    /** A session set up (or resumed) a connection: it is listed by ID. */
    void established(TlsSession session) {
        sessions.put(new Id(session.getId()), session);
    }

    /** {@link SSLSession#invalidate()}: never resumed again. */
    void invalidate(TlsSession session) {
        Id id = new Id(session.getId());
        sessions.remove(id);
        ResumptionState st = tls12Sessions.remove(id);
        if (st != null) {
            st.destroy();
        }
        if (client) {
            for (String peer : tickets.keys()) {
                Deque<ClientTicket> q = tickets.get(peer);
                if (q != null) {
                    synchronized (q) {
                        q.removeIf(t -> Arrays.equals(t.state().sessionId(), id.bytes()));
                    }
                }
            }
        } else {
            invalidated.put(id, Boolean.TRUE);
        }
    }

    /** Client: remembers a ticket for the peer. */
    void storeTicket(String peer, ClientTicket ticket) {
        Deque<ClientTicket> q = tickets.get(peer);
        if (q == null) {
            q = new ArrayDeque<>();
            tickets.put(peer, q);
        }
        synchronized (q) {
            q.addFirst(ticket);
            while (q.size() > TICKETS_PER_PEER) {
                q.removeLast().state().destroy();
            }
        }
    }

    /** Client: the newest usable ticket for the peer, removed (each is offered once), or null. */
    ClientTicket takeTicket(String peer) {
        Deque<ClientTicket> q = tickets.get(peer);
        if (q == null) {
            return null;
        }
        long now = System.currentTimeMillis();
        synchronized (q) {
            ClientTicket t;
            while ((t = q.pollFirst()) != null) {
                if (!t.state().expired(now)) {
                    return t;
                }
                t.state().destroy();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "TlsSessionContext[" + (client ? "client" : "server") + ", " + sessions.size() + " sessions]";
    }
}
