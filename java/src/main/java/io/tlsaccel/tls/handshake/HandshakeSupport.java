package io.tlsaccel.tls.handshake;

import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.HandshakeType;
import io.tlsaccel.tls.message.TlsAlertException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/** Small helpers the handshake machines of both versions share (used through static imports). */
final class HandshakeSupport {
    private HandshakeSupport() {
    }

    /** A message that may not come now: unexpected_message (RFC 8446 6.2, RFC 5246 7.2.2). */
    static TlsAlertException unexpected(int type) {
        return new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE,
                "unexpected " + HandshakeType.name(type) + " message");
    }

    /** Zeroes a secret, if there is one. */
    static void wipe(byte[] b) {
        if (b != null) {
            Arrays.fill(b, (byte) 0);
        }
    }

    /** Whether a list of code points (suites, groups, schemes) holds {@code v}. */
    static boolean contains(int[] list, int v) {
        for (int x : list) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    /** The code points of {@code a} then those of {@code b} not in {@code a}, each once, in that order. */
    static int[] union(int[] a, int[] b) {
        Set<Integer> all = new LinkedHashSet<>();
        for (int x : a) {
            all.add(x);
        }
        for (int x : b) {
            all.add(x);
        }
        return all.stream().mapToInt(Integer::intValue).toArray();
    }
}
