package io.tlsaccel.tls.handshake;

import io.tlsaccel.tls.message.CertificateMessage;
import io.tlsaccel.tls.message.Tls12Certificate;
import io.tlsaccel.tls.message.TlsAlertException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Our own Certificate messages, encoded once per certificate chain instead of once per
 * handshake: a key manager hands back the same certificate objects for an alias every time,
 * so their DER is read and framed once (the TLS 1.3 form, RFC 8446 4.4.2, with an empty
 * request context and no entry extensions, and the TLS 1.2 form, RFC 5246 7.4.2).
 *
 * <p>An entry serves only a chain made of the very same certificate objects, in the same
 * order: a key manager that builds new objects on each call just gets fresh bytes. The cache
 * is bounded (least recently used out), so a server with many chains cannot grow it without
 * limit. The arrays handed out are shared between handshakes and never written to: the
 * transcript hash and the outbound queue only read them.
 */
final class OwnCertificateMessages {
    static final int CAPACITY = 64;

    private static final Map<Chain, Encoded> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Chain, Encoded> eldest) {
            return size() > CAPACITY;
        }
    };

    private OwnCertificateMessages() {
    }

    /** The TLS 1.3 Certificate message carrying {@code chain} (leaf first). */
    static byte[] tls13(X509Certificate[] chain) throws TlsAlertException {
        return encoded(chain).tls13();
    }

    /** The TLS 1.2 Certificate message carrying {@code chain} (leaf first). */
    static byte[] tls12(X509Certificate[] chain) throws TlsAlertException {
        return encoded(chain).tls12();
    }

    /** How many chains are cached now (for tests). */
    static int size() {
        synchronized (CACHE) {
            return CACHE.size();
        }
    }

    private static Encoded encoded(X509Certificate[] chain) throws TlsAlertException {
        synchronized (CACHE) {
            Encoded e = CACHE.get(new Chain(chain));
            if (e != null) {
                return e;
            }
        }
        // Encoded outside the lock; two handshakes racing on a new chain make equal bytes.
        List<byte[]> ders = PeerCertificates.encode(chain);
        Encoded e = new Encoded(new CertificateMessage(new byte[0], ders).encode(), new Tls12Certificate(ders).encode());
        synchronized (CACHE) {
            CACHE.put(new Chain(chain.clone()), e); // a stored key owns its array
        }
        return e;
    }

    private record Encoded(byte[] tls13, byte[] tls12) {
    }

    /** A chain compared by the identity of its certificate objects. */
    private static final class Chain {
        private final X509Certificate[] certificates;
        private final int hash;

        Chain(X509Certificate[] certificates) {
            this.certificates = certificates;
            int h = certificates.length;
            for (X509Certificate c : certificates) {
                h = 31 * h + System.identityHashCode(c);
            }
            this.hash = h;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Chain other) || other.certificates.length != certificates.length) {
                return false;
            }
            for (int i = 0; i < certificates.length; i++) {
                if (other.certificates[i] != certificates[i]) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
