package io.tlsaccel.tls.handshake;

import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.TlsAlertException;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Our own certificate chain and key, as the key manager gave them, and the signature scheme
 * chosen for them (null until chosen). How both versions and both sides pick what they
 * authenticate with: ask the key manager for an alias, check it is complete, then take the
 * first scheme in the peer's list that fits the key.
 */
record Credentials(PrivateKey key, X509Certificate[] chain, SignatureScheme scheme) {

    /** The server's key manager; a server without one cannot authenticate (handshake_failure). */
    static X509ExtendedKeyManager serverKeyManager(HandshakeContext ctx) throws TlsAlertException {
        X509ExtendedKeyManager km = ctx.keyManager();
        if (km == null) {
            throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "server has no key manager");
        }
        return km;
    }

    /** Server: the key manager's credentials for one key type, or null if it has none (or only part). */
    static Credentials forServer(HandshakeContext ctx, String keyType) throws TlsAlertException {
        X509ExtendedKeyManager km = serverKeyManager(ctx);
        return complete(ctx, km, km.chooseEngineServerAlias(keyType, null, ctx.engine()));
    }

    /** Client: the key manager's credentials for one of these key types (and issuers, if given), or null. */
    static Credentials forClient(HandshakeContext ctx, String[] keyTypes, Principal[] issuers) {
        X509ExtendedKeyManager km = ctx.keyManager();
        if (km == null || keyTypes.length == 0) {
            return null;
        }
        return complete(ctx, km, km.chooseEngineClientAlias(keyTypes, issuers, ctx.engine()));
    }

    private static Credentials complete(HandshakeContext ctx, X509ExtendedKeyManager km, String alias) {
        if (alias == null) {
            return null;
        }
        PrivateKey key = km.getPrivateKey(alias);
        X509Certificate[] chain = km.getCertificateChain(alias);
        if (key == null || chain == null || chain.length == 0) {
            return null;
        }
        if (!ctx.config().permitsKey(chain[0].getPublicKey())) {
            // jdk.tls.disabledAlgorithms refuses this key ("RSA keySize < 2048"): as SunJSSE,
            // authenticate as if the key manager had none.
            ctx.trace("own certificate key refused by jdk.tls.disabledAlgorithms");
            return null;
        }
        return new Credentials(key, chain, null);
    }

    /** TLS 1.3: the key types of the schemes in {@code schemes} usable in a handshake signature, in order. */
    static Set<String> handshakeKeyTypes(int[] schemes) {
        Set<String> types = new LinkedHashSet<>();
        for (int id : schemes) {
            SignatureScheme s = SignatureScheme.of(id);
            if (s != null && s.usableInHandshake()) {
                types.add(s.keyType());
            }
        }
        return types;
    }

    PublicKey leafKey() {
        return chain[0].getPublicKey();
    }

    /** These credentials with the first scheme of {@code peerSchemes} that {@code fits}, or null if none does. */
    Credentials withFirstScheme(int[] peerSchemes, Predicate<SignatureScheme> fits) {
        for (int id : peerSchemes) {
            SignatureScheme s = SignatureScheme.of(id);
            if (s != null && fits.test(s)) {
                return new Credentials(key, chain, s);
            }
        }
        return null;
    }

    /** The TLS 1.3 Certificate message carrying our chain (encoded once per chain). */
    byte[] certificateMessage13() throws TlsAlertException {
        return OwnCertificateMessages.tls13(chain);
    }

    /** The TLS 1.2 Certificate message carrying our chain (encoded once per chain). */
    byte[] certificateMessage12() throws TlsAlertException {
        return OwnCertificateMessages.tls12(chain);
    }

    /** Signs {@code content} with the chosen scheme; a failure is internal_error. */
    byte[] sign(byte[] content, SecureRandom random, String what) throws TlsAlertException {
        try {
            return scheme.sign(key, content, random);
        } catch (GeneralSecurityException e) {
            throw new TlsAlertException(AlertDescription.INTERNAL_ERROR, "cannot sign " + what, e);
        }
    }

    @Override
    public String toString() {
        return "Credentials[" + chain[0].getSubjectX500Principal() + ", " + scheme + "]";
    }
}
