package io.tlsaccel.tls.message;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * An extension block read against the set one message accepts (RFC 8446 4.2), in one pass:
 * <ul>
 *   <li>a type twice is illegal_parameter;</li>
 *   <li>a type the message accepts is kept, for the handshake to interpret;</li>
 *   <li>a TLS 1.3 type we know, in a TLS 1.3 message the RFC 8446 4.2 table does not list it
 *       for, is illegal_parameter;</li>
 *   <li>anything else is skipped in a request (ClientHello, CertificateRequest: unknown
 *       extensions are ignored, 4.1.2, 4.3.2) and unsupported_extension in a response
 *       (ServerHello, HelloRetryRequest, EncryptedExtensions: we did not ask for it, 4.2;
 *       RFC 5246 7.4.1.4 for a TLS 1.2 ServerHello).</li>
 * </ul>
 */
public final class ExtensionBlock {
    private final Map<Integer, byte[]> accepted;

    private ExtensionBlock(Map<Integer, byte[]> accepted) {
        this.accepted = accepted;
    }

    /**
     * What one message accepts and how it treats the rest.
     *
     * @param message  the message's name, for error messages
     * @param context  its TLS 1.3 column in the RFC 8446 4.2 table, or null for a TLS 1.2 message
     * @param response whether it answers our extensions (unknown ones refused) or asks (skipped)
     * @param accepted the types the handshake reads in it
     */
    public record Rules(String message, ExtensionContext context, boolean response, Set<Integer> accepted) {
        public Rules {
            accepted = Set.copyOf(accepted);
        }

        /** A TLS 1.3 request (ClientHello, CertificateRequest). */
        public static Rules request(ExtensionContext context, Integer... accepted) {
            return new Rules(context.messageName(), context, false, Set.of(accepted));
        }

        /** A TLS 1.3 response (ServerHello, HelloRetryRequest, EncryptedExtensions). */
        public static Rules response(ExtensionContext context, Integer... accepted) {
            return new Rules(context.messageName(), context, true, Set.of(accepted));
        }

        /** A TLS 1.2 response (ServerHello): only what we offered may come back. */
        public static Rules tls12Response(String message, Integer... accepted) {
            return new Rules(message, null, true, Set.of(accepted));
        }
    }

    /** Reads {@code extensions} (as decoded, in wire order) against {@code rules}; see the class comment. */
    public static ExtensionBlock parse(Iterable<Extension> extensions, Rules rules) throws TlsAlertException {
        Map<Integer, byte[]> kept = new HashMap<>();
        Set<Integer> seen = new HashSet<>();
        for (Extension e : extensions) {
            int type = e.type();
            if (!seen.add(type)) {
                // RFC 8446 4.2: no more than one extension of the same type in a block.
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "duplicate extension " + type);
            }
            if (rules.accepted().contains(type)) {
                kept.put(type, e.data());
                continue;
            }
            if (rules.context() != null) {
                Set<ExtensionContext> allowed = ExtensionType.allowedIn(type);
                if (allowed != null && !allowed.contains(rules.context())) {
                    throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER,
                            "extension " + type + " not allowed in " + rules.message());
                }
            }
            if (rules.response()) {
                throw new TlsAlertException(AlertDescription.UNSUPPORTED_EXTENSION,
                        "unsolicited extension " + type + " in " + rules.message());
            }
        }
        return new ExtensionBlock(kept);
    }

    /** The body of an accepted extension, or null if the message did not carry it. */
    public byte[] get(int type) {
        return accepted.get(type);
    }

    public boolean has(int type) {
        return accepted.containsKey(type);
    }

    /** The accepted types present. */
    public Set<Integer> types() {
        return Collections.unmodifiableSet(accepted.keySet());
    }

    @Override
    public String toString() {
        return "ExtensionBlock" + accepted.keySet();
    }
}
