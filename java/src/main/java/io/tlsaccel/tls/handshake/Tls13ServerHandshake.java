package io.tlsaccel.tls.handshake;

import static io.tlsaccel.tls.handshake.HandshakeSupport.contains;
import static io.tlsaccel.tls.handshake.HandshakeSupport.unexpected;
import static io.tlsaccel.tls.handshake.HandshakeSupport.union;
import static io.tlsaccel.tls.handshake.HandshakeSupport.wipe;

import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.CertificateMessage;
import io.tlsaccel.tls.message.CertificateRequest;
import io.tlsaccel.tls.message.CertificateVerify;
import io.tlsaccel.tls.message.ClientHello;
import io.tlsaccel.tls.message.EncryptedExtensions;
import io.tlsaccel.tls.message.Extension;
import io.tlsaccel.tls.message.ExtensionBlock;
import io.tlsaccel.tls.message.ExtensionContext;
import io.tlsaccel.tls.message.ExtensionType;
import io.tlsaccel.tls.message.Extensions;
import io.tlsaccel.tls.message.HandshakeType;
import io.tlsaccel.tls.message.KeyShareEntry;
import io.tlsaccel.tls.message.NewSessionTicket;
import io.tlsaccel.tls.message.OfferedPsks;
import io.tlsaccel.tls.message.ServerHello;
import io.tlsaccel.tls.message.TlsAlertException;
import io.tlsaccel.tls.message.TlsReader;
import io.tlsaccel.tls.record.Tls13CipherSuite;
import io.tlsaccel.tls.session.ResumptionState;
import io.tlsaccel.tls.ticket.TicketKeys;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The TLS 1.3 server (RFC 8446 2, 4): certificate-authenticated, or resuming with a ticket it
 * issued (2.2: psk_dhe_ke, never 0-RTT), and issuing tickets after each handshake (4.6.1).
 * The first flight runs
 * in the order of RFC 8446 2: {@link #processClientHello} (maybe a HelloRetryRequest),
 * {@link #checkForResumption}, {@link #pickCertificate}, {@link #sendServerParameters}
 * (ServerHello, EncryptedExtensions, [CertificateRequest]), {@link #sendServerCertificate},
 * {@link #sendServerFinished}; then the states readClientCertificate,
 * readClientCertificateVerify and readClientFinished.
 */
public final class Tls13ServerHandshake extends Tls13Handshake {
    /** SSL 3.0, which no one may offer any more (RFC 7568, RFC 8446 D.5). */
    private static final int SSL30 = 0x0300;

    /** The states of the server, each holding what its step needs. */
    sealed interface ServerState extends State
            permits ExpectClientHello, ExpectClientCertificate, ExpectClientCertificateVerify, ExpectClientFinished {
    }

    /**
     * What a HelloRetryRequest fixed for the second ClientHello (4.1.4): the group it asked
     * for, the suite it chose, and whether the compatibility CCS (D.4) went out with it.
     */
    private record Retry(NamedGroup group, Tls13CipherSuite suite, boolean ccsSent) {
    }

    /**
     * RFC 8446 4.2: what a ClientHello may carry that we read; other extensions TLS 1.3 allows
     * there are ignored (4.1.2), and one it allows only elsewhere is illegal_parameter.
     */
    private static final ExtensionBlock.Rules CLIENT_HELLO_EXTENSIONS = ExtensionBlock.Rules.request(
            ExtensionContext.CLIENT_HELLO, ExtensionType.SIGNATURE_ALGORITHMS, ExtensionType.SIGNATURE_ALGORITHMS_CERT,
            ExtensionType.SUPPORTED_GROUPS, ExtensionType.KEY_SHARE, ExtensionType.PRE_SHARED_KEY,
            ExtensionType.PSK_KEY_EXCHANGE_MODES, ExtensionType.EARLY_DATA);

    /** The parts of a ClientHello the server's choices are made from (4.2.3, 4.2.7, 4.2.8). */
    private record Offer(ExtensionBlock extensions, int[] schemes, int[] groups, List<KeyShareEntry> shares) {
    }

    /** A ticket accepted for resumption (4.2.11): the identity's index and what the ticket held. */
    private record AcceptedPsk(int index, ResumptionState state) {
    }

    /** Obfuscated ticket ages this far from our own count are not accepted (4.2.11.1, 8.3). */
    private static final long AGE_WINDOW_MILLIS = 60_000;

    /**
     * What tickets issued after this handshake carry (4.6.1): the server name, and the client's
     * chain (from its Certificate, or from the ticket it resumed), null if it sent none.
     */
    private record SessionFacts(String serverName, X509Certificate[] clientChain, boolean ticketsWanted) {
    }

    /** What the answer to the ClientHello was built from. */
    private record Choice(ClientHello hello, byte[] helloMessage, Tls13CipherSuite suite, KeyShareEntry share,
                          Retry retry, boolean earlyDataOffered) {
    }

    public Tls13ServerHandshake(HandshakeContext ctx) {
        super(ctx);
    }

    @Override
    protected boolean isClient() {
        return false;
    }

    @Override
    public void start() {
        state = new ExpectClientHello(null);
    }

    private static TlsAlertException missing(String what) {
        return new TlsAlertException(AlertDescription.MISSING_EXTENSION, "ClientHello without " + what);
    }

    /** Awaiting the first ClientHello, or (with {@code retry}) the second one after a HelloRetryRequest. */
    final class ExpectClientHello implements ServerState {
        private final Retry retry;

        ExpectClientHello(Retry retry) {
            this.retry = retry;
        }

        @Override
        public State handle(int type, byte[] message, TlsReader body) throws TlsAlertException {
            if (type != HandshakeType.CLIENT_HELLO) {
                throw unexpected(type);
            }
            return processClientHello(ClientHello.decode(body), message, retry);
        }
    }

    // ---- the first flight, in RFC 8446 order ----

    private State processClientHello(ClientHello ch, byte[] message, Retry retry) throws TlsAlertException {
        if (ch.legacyVersion() <= SSL30) {
            // RFC 8446 D.5: a legacy_version of SSL 3.0 or below (or garbage below it) is protocol_version.
            throw new TlsAlertException(AlertDescription.PROTOCOL_VERSION,
                    "ClientHello.legacy_version 0x" + Integer.toHexString(ch.legacyVersion()));
        }
        // 4.2.1: without supported_versions this is a TLS 1.2-or-older ClientHello.
        byte[] sv = ch.extension(ExtensionType.SUPPORTED_VERSIONS);
        boolean offers13 = sv != null && contains(Extensions.parseSupportedVersionsClient(sv), TLS13);
        if (!offers13 && config.tls12() && retry == null) {
            // No TLS 1.3 offered: TLS 1.2 takes over this handshake.
            Tls12ServerHandshake next = new Tls12ServerHandshake(ctx);
            ctx.switchTo(next);
            next.takeOver(ch, message);
            return null;
        }
        if (!offers13) {
            throw new TlsAlertException(AlertDescription.PROTOCOL_VERSION, "client does not offer TLS 1.3");
        }
        // 4.1.2: legacy_compression_methods must be exactly one null byte.
        if (ch.legacyCompressionMethods().length != 1 || ch.legacyCompressionMethods()[0] != 0) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "compression methods other than null");
        }
        Tls13CipherSuite chosen = chooseSuite(ch.cipherSuites());
        if (retry != null && chosen != retry.suite()) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "second ClientHello changed the cipher suites");
        }
        Offer offer = readOffer(ch);
        KeyShareEntry share = pickKeyShare(offer, retry);
        if (share == null) {
            return helloRetryRequest(ch, message, chosen, mutualGroup(offer), retry);
        }
        Choice choice = new Choice(ch, message, chosen, share, retry, offer.extensions().has(ExtensionType.EARLY_DATA));
        ctx.trace("client offered a " + NamedGroup.of(share.group()).jdkName() + " key share");

        // SNI (RFC 6066 3) and the user's SNI matchers before the certificate is picked; ALPN (RFC 7301 3.2).
        boolean sniAccepted = ServerHelloExtensions.acceptServerName(ctx, ch);
        String serverName = ServerHelloExtensions.requestedHostName(ch);
        AcceptedPsk psk = checkForResumption(message, offer, chosen, serverName);
        String protocol = ServerHelloExtensions.chooseApplicationProtocol(ctx, ch);
        ctx.applicationProtocol(protocol == null ? "" : protocol);
        byte[] saCert = offer.extensions().get(ExtensionType.SIGNATURE_ALGORITHMS_CERT);
        ctx.peerSignatureSchemes(union(offer.schemes(), saCert == null ? new int[0] : Extensions.parseU16List(saCert)));

        if (psk != null) {
            // 2.2: the PSK authenticates both sides; no certificates, no CertificateRequest (4.3.2).
            X509Certificate[] clientChain = resumeSession(psk);
            Secret.Pair handshakeSecrets = sendServerParameters(choice, sniAccepted, protocol, psk);
            Secret.Pair applicationSecrets = sendServerFinished(handshakeSecrets);
            return new ExpectClientFinished(handshakeSecrets, applicationSecrets, new SessionFacts(serverName, clientChain, true));
        }
        // Credentials before anything is sent, so a missing certificate fails cleanly.
        Credentials credentials = pickCertificate(offer.schemes());
        Secret.Pair handshakeSecrets = sendServerParameters(choice, sniAccepted, protocol, null);
        int[] requestedSchemes = sendCertificateRequest();
        sendServerCertificate(credentials);
        Secret.Pair applicationSecrets = sendServerFinished(handshakeSecrets);
        return requestedSchemes != null
                ? new ExpectClientCertificate(handshakeSecrets, applicationSecrets, requestedSchemes,
                        new SessionFacts(serverName, null, wantsTickets(offer)))
                : new ExpectClientFinished(handshakeSecrets, applicationSecrets, new SessionFacts(serverName, null, wantsTickets(offer)));
    }

    /** 4.2.9: tickets only for a client that can use them, one offering psk_dhe_ke. */
    private static boolean wantsTickets(Offer offer) throws TlsAlertException {
        byte[] modes = offer.extensions().get(ExtensionType.PSK_KEY_EXCHANGE_MODES);
        return modes != null && contains(Extensions.parsePskKeyExchangeModes(modes), OfferedPsks.PSK_DHE_KE);
    }



    /**
     * 9.2: certificate authentication needs signature_algorithms; (EC)DHE needs both
     * supported_groups and key_share, whose shares follow supported_groups (4.2.8). A
     * pre_shared_key must be last and come with psk_key_exchange_modes (4.2.11, 4.2.9).
     */
    private static Offer readOffer(ClientHello ch) throws TlsAlertException {
        ExtensionBlock ext = ExtensionBlock.parse(ch.extensions(), CLIENT_HELLO_EXTENSIONS);
        byte[] sa = ext.get(ExtensionType.SIGNATURE_ALGORITHMS);
        if (sa == null) {
            throw missing("signature_algorithms");
        }
        int[] clientSchemes = Extensions.parseU16List(sa);
        byte[] sg = ext.get(ExtensionType.SUPPORTED_GROUPS);
        byte[] ks = ext.get(ExtensionType.KEY_SHARE);
        if (sg == null) {
            throw missing("supported_groups");
        }
        if (ks == null) {
            throw missing("key_share");
        }
        int[] clientGroups = Extensions.parseU16List(sg);
        List<KeyShareEntry> shares = Extensions.parseKeyShareClient(ks);
        // Where each group first appears in supported_groups: one pass, then one lookup per share.
        Map<Integer, Integer> position = new HashMap<>();
        for (int i = 0; i < clientGroups.length; i++) {
            position.putIfAbsent(clientGroups[i], i);
        }
        int prev = -1;
        for (KeyShareEntry e : shares) {
            // 4.2.8: shares must be in supported_groups order; we check and reject violations.
            int idx = position.getOrDefault(e.group(), -1);
            if (idx < 0 || idx <= prev) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "key_share does not follow supported_groups");
            }
            prev = idx;
        }
        if (ext.has(ExtensionType.PRE_SHARED_KEY)) {
            // 4.2.11: pre_shared_key must be last; we never accept PSKs, so it is just checked.
            if (ch.extensions().get(ch.extensions().size() - 1).type() != ExtensionType.PRE_SHARED_KEY) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "pre_shared_key is not the last extension");
            }
            byte[] modes = ext.get(ExtensionType.PSK_KEY_EXCHANGE_MODES);
            if (modes == null) {
                throw missing("psk_key_exchange_modes");
            }
            Extensions.parsePskKeyExchangeModes(modes);
        }
        return new Offer(ext, clientSchemes, clientGroups, shares);
    }

    /**
     * The client's share for the first of our groups it sent one for; after a retry, exactly
     * the one share we asked for (4.1.4, 4.2.8). Null: a HelloRetryRequest is needed.
     */
    private KeyShareEntry pickKeyShare(Offer offer, Retry retry) throws TlsAlertException {
        if (retry != null) {
            if (offer.shares().size() != 1 || offer.shares().get(0).group() != retry.group().id()) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "second ClientHello lacks the requested key share");
            }
            return offer.shares().get(0);
        }
        for (NamedGroup g : config.groups()) {
            for (KeyShareEntry e : offer.shares()) {
                if (e.group() == g.id()) {
                    return e;
                }
            }
        }
        return null;
    }

    /** The first of our groups the client supports (for a HelloRetryRequest), or handshake_failure. */
    private NamedGroup mutualGroup(Offer offer) throws TlsAlertException {
        for (NamedGroup g : config.groups()) {
            if (contains(offer.groups(), g.id())) {
                return g;
            }
        }
        throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "no key exchange group in common");
    }

    private State helloRetryRequest(ClientHello ch, byte[] message, Tls13CipherSuite chosen, NamedGroup group, Retry retry)
            throws TlsAlertException {
        if (retry != null) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "second ClientHello still needs a retry");
        }
        transcript.update(message);
        transcript.replaceWithMessageHash(chosen);
        List<Extension> ext = List.of(Extensions.supportedVersionsServer(TLS13), Extensions.keyShareHelloRetry(group.id()));
        send(new ServerHello(LEGACY_VERSION, ServerHello.HELLO_RETRY_REQUEST_RANDOM.clone(),
                ch.legacySessionId(), chosen.id(), 0, ext).encode());
        boolean ccs = ch.legacySessionId().length > 0;
        if (ccs) {
            // D.4: compatibility CCS right after our first handshake message.
            ctx.sendChangeCipherSpec();
        }
        return new ExpectClientHello(new Retry(group, chosen, ccs));
    }

    /**
     * Resumption (4.2.11): the first offered ticket that opens under our keys and still fits
     * (TLS 1.3, a suite with the chosen suite's hash, the same server name, not expired or
     * invalidated, a plausible age) is accepted if its binder verifies; a wrong binder is
     * decrypt_error. Any other ticket just means a full handshake (4.6.1).
     */
    private AcceptedPsk checkForResumption(byte[] message, Offer offer, Tls13CipherSuite chosen, String serverName)
            throws TlsAlertException {
        byte[] ext = offer.extensions().get(ExtensionType.PRE_SHARED_KEY);
        if (ext == null) {
            return null;
        }
        OfferedPsks offered = OfferedPsks.decode(ext);
        TicketKeys keys = ctx.ticketKeys();
        int[] modes = Extensions.parsePskKeyExchangeModes(offer.extensions().get(ExtensionType.PSK_KEY_EXCHANGE_MODES));
        if (keys == null || !contains(modes, OfferedPsks.PSK_DHE_KE)) {
            return null; // psk_ke alone (no (EC)DHE) is never accepted
        }
        long now = System.currentTimeMillis();
        for (int i = 0; i < offered.identities().size(); i++) {
            OfferedPsks.Identity identity = offered.identities().get(i);
            ResumptionState st = open(keys, identity.identity());
            if (st == null) {
                continue;
            }
            if (!resumable(st, chosen, serverName, now, identity.obfuscatedTicketAge())) {
                st.destroy();
                continue;
            }
            // 4.2.11.2: the binder covers the ClientHello up to the binders list (and, after a
            // HelloRetryRequest, the transcript before it).
            byte[] hash = transcript.currentWith(message, message.length - offered.bindersLength(), chosen);
            byte[] expected = new KeySchedule(chosen).binder(st.secret(), hash);
            boolean ok = MessageDigest.isEqual(expected, offered.binders().get(i));
            wipe(expected);
            if (!ok) {
                st.destroy();
                throw new TlsAlertException(AlertDescription.DECRYPT_ERROR, "PSK binder does not verify");
            }
            return new AcceptedPsk(i, st);
        }
        return null;
    }

    /** The ticket's contents, or null if it was not sealed by our keys (or is not one of ours). */
    private static ResumptionState open(TicketKeys keys, byte[] ticket) {
        byte[] plain = keys.open(ticket);
        if (plain == null) {
            return null;
        }
        try {
            return ResumptionState.decode(plain);
        } catch (TlsAlertException e) {
            return null;
        } finally {
            wipe(plain);
        }
    }

    private boolean resumable(ResumptionState st, Tls13CipherSuite chosen, String serverName, long now, long obfuscatedAge) {
        Tls13CipherSuite original = Tls13CipherSuite.of(st.suite());
        if (st.version() != TLS13 || original == null || !original.hashName().equals(chosen.hashName())) {
            return false;
        }
        if (st.expired(now) || !st.sameServerName(serverName) || ctx.invalidated(st.sessionId())) {
            return false;
        }
        long clientAge = (obfuscatedAge - st.ageAdd()) & 0xffffffffL;
        return Math.abs(clientAge - (now - st.createdMillis())) <= AGE_WINDOW_MILLIS;
    }

    /** The resumed session shows the client's certificates from the original handshake. */
    private X509Certificate[] resumeSession(AcceptedPsk psk) throws TlsAlertException {
        X509Certificate[] chain = PeerCertificates.parseOrNull(psk.state().peerCertificates());
        ctx.resumed(psk.state().sessionId(), chain);
        ctx.trace("resuming the session of a ticket (psk_dhe_ke)");
        return chain;
    }

    /** 4.4.2.2: for each key type in the client's preference order, ask the key manager. */
    private Credentials pickCertificate(int[] clientSchemes) throws TlsAlertException {
        Credentials.serverKeyManager(ctx);
        int[] usable = config.permittedHandshakeSchemes(clientSchemes);
        for (String type : Credentials.handshakeKeyTypes(usable)) {
            Credentials base = Credentials.forServer(ctx, type);
            Credentials chosen = base == null ? null : base.withFirstScheme(usable,
                    s -> s.usableInHandshake() && s.matches(base.key()) && s.matches(base.leafKey()));
            if (chosen != null) {
                return chosen;
            }
        }
        throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "no certificate matches the client's signature algorithms");
    }

    /** ServerHello (4.1.3), the handshake keys (7.1), EncryptedExtensions (4.3.1). */
    private Secret.Pair sendServerParameters(Choice choice, boolean sniAccepted, String protocol, AcceptedPsk psk)
            throws TlsAlertException {
        ClientHello ch = choice.hello();
        suite = choice.suite();
        ctx.negotiated(suite);
        schedule = new KeySchedule(suite);
        if (psk != null) {
            schedule.usePsk(psk.state().secret());
            psk.state().destroy();
        }
        transcript.selectHash(suite);
        transcript.update(choice.helloMessage());
        NamedGroup group = NamedGroup.of(choice.share().group());
        KeyShares.ServerAnswer answer = KeyShares.server(group, choice.share().keyExchange(), ctx.random());
        byte[] shared = answer.sharedSecret();
        byte[] random = new byte[32];
        ctx.random().nextBytes(random);
        List<Extension> shExt = new ArrayList<>(List.of(Extensions.supportedVersionsServer(TLS13),
                Extensions.keyShareServer(new KeyShareEntry(group.id(), answer.encoded()))));
        if (psk != null) {
            shExt.add(OfferedPsks.selected(psk.index()));
        }
        send(new ServerHello(LEGACY_VERSION, random, ch.legacySessionId(), suite.id(), 0, shExt).encode());
        boolean ccsSent = choice.retry() != null && choice.retry().ccsSent();
        if (ch.legacySessionId().length > 0 && !ccsSent) {
            // D.4: compatibility CCS right after our first handshake message.
            ctx.sendChangeCipherSpec();
        }
        Secret.Pair hs = deriveHandshakeSecrets(shared);
        installWrite(hs.server(), false);
        installRead(hs.client(), false);
        if (choice.earlyDataOffered() && choice.retry() == null) {
            // 4.2.10: early data is rejected by omitting early_data from EncryptedExtensions.
            ctx.skipEarlyData();
        }
        List<Extension> ee = new ArrayList<>();
        if (sniAccepted) {
            ee.add(new Extension(ExtensionType.SERVER_NAME, new byte[0]));
        }
        if (protocol != null) {
            ee.add(Extensions.alpn(List.of(protocol)));
        }
        send(new EncryptedExtensions(ee).encode());
        return hs;
    }

    /** CertificateRequest (4.3.2) when client authentication is wanted: the schemes we asked for, else null. */
    private int[] sendCertificateRequest() {
        if (!config.needClientAuth() && !config.wantClientAuth()) {
            return null;
        }
        int[] requested = config.handshakeSchemes();
        ctx.localSignatureSchemes(requested);
        send(new CertificateRequest(new byte[0], List.of(
                Extensions.u16List(ExtensionType.SIGNATURE_ALGORITHMS, requested),
                Extensions.u16List(ExtensionType.SIGNATURE_ALGORITHMS_CERT, config.certificateSchemes())))
                .encode());
        return requested;
    }

    /** Certificate (4.4.2) and CertificateVerify (4.4.3). */
    private void sendServerCertificate(Credentials cred) throws TlsAlertException {
        send(cred.certificateMessage13());
        ctx.localCertificates(cred.chain());
        byte[] content = certificateVerifyContent(true, transcript.current());
        send(new CertificateVerify(cred.scheme().id(), cred.sign(content, ctx.random(), "CertificateVerify")).encode());
    }

    /** Finished (4.4.4), then our application keys (7.1); the client's wait for its Finished. */
    private Secret.Pair sendServerFinished(Secret.Pair handshakeSecrets) {
        sendFinished(handshakeSecrets);
        Secret.Pair app = deriveApplicationSecrets();
        installWrite(app.server(), true);
        return app;
    }

    private Tls13CipherSuite chooseSuite(int[] offered) throws TlsAlertException {
        if (config.useCipherSuitesOrder()) {
            for (Tls13CipherSuite s : config.suites()) {
                if (contains(offered, s.id())) {
                    return s;
                }
            }
        } else {
            for (int id : offered) {
                Tls13CipherSuite s = Tls13CipherSuite.of(id);
                if (s != null && config.suites().contains(s)) {
                    return s;
                }
            }
        }
        throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "no cipher suite in common");
    }

    // ---- the client's flight ----

    final class ExpectClientCertificate implements ServerState {
        private final Secret.Pair handshakeSecrets;
        private final Secret.Pair applicationSecrets;
        private final int[] requestedSchemes;
        private final SessionFacts facts;

        ExpectClientCertificate(Secret.Pair handshakeSecrets, Secret.Pair applicationSecrets, int[] requestedSchemes,
                                SessionFacts facts) {
            this.handshakeSecrets = handshakeSecrets;
            this.applicationSecrets = applicationSecrets;
            this.requestedSchemes = requestedSchemes;
            this.facts = facts;
        }

        @Override
        public State handle(int type, byte[] message, TlsReader body) throws TlsAlertException {
            if (type != HandshakeType.CERTIFICATE) {
                throw unexpected(type);
            }
            CertificateMessage cm = CertificateMessage.decode(body);
            if (cm.requestContext().length != 0) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "certificate_request_context mismatch");
            }
            if (cm.certificates().isEmpty()) {
                if (config.needClientAuth()) {
                    // 4.4.2.4: MAY abort with certificate_required.
                    throw new TlsAlertException(AlertDescription.CERTIFICATE_REQUIRED, "client sent no certificate");
                }
                updateTranscript(message);
                return new ExpectClientFinished(handshakeSecrets, applicationSecrets, facts);
            }
            X509Certificate[] chain = PeerCertificates.receive(ctx, cm.certificates(), false, leaf -> {
                String alg = leaf.getPublicKey().getAlgorithm();
                return switch (alg) {
                    case "RSA", "DSA", "EC", "RSASSA-PSS" -> alg;
                    default -> "UNKNOWN";
                };
            });
            updateTranscript(message);
            return new ExpectClientCertificateVerify(handshakeSecrets, applicationSecrets, requestedSchemes,
                    new SessionFacts(facts.serverName(), chain, facts.ticketsWanted()));
        }
    }

    final class ExpectClientCertificateVerify implements ServerState {
        private final Secret.Pair handshakeSecrets;
        private final Secret.Pair applicationSecrets;
        private final int[] requestedSchemes;
        private final SessionFacts facts;

        ExpectClientCertificateVerify(Secret.Pair handshakeSecrets, Secret.Pair applicationSecrets, int[] requestedSchemes,
                                      SessionFacts facts) {
            this.handshakeSecrets = handshakeSecrets;
            this.applicationSecrets = applicationSecrets;
            this.requestedSchemes = requestedSchemes;
            this.facts = facts;
        }

        @Override
        public State handle(int type, byte[] message, TlsReader body) throws TlsAlertException {
            if (type != HandshakeType.CERTIFICATE_VERIFY) {
                throw unexpected(type);
            }
            verifyPeerCertificateVerify(body, facts.clientChain()[0].getPublicKey(), requestedSchemes);
            updateTranscript(message);
            return new ExpectClientFinished(handshakeSecrets, applicationSecrets, facts);
        }
    }

    final class ExpectClientFinished implements ServerState {
        private final Secret.Pair handshakeSecrets;
        private final Secret.Pair applicationSecrets;
        private final SessionFacts facts;

        ExpectClientFinished(Secret.Pair handshakeSecrets, Secret.Pair applicationSecrets, SessionFacts facts) {
            this.handshakeSecrets = handshakeSecrets;
            this.applicationSecrets = applicationSecrets;
            this.facts = facts;
        }

        @Override
        public State handle(int type, byte[] message, TlsReader body) throws TlsAlertException {
            if (type != HandshakeType.FINISHED) {
                throw unexpected(type);
            }
            verifyPeerFinished(body, handshakeSecrets);
            updateTranscript(message);
            installRead(applicationSecrets.client(), true);
            byte[] resumptionSecret = schedule.resumptionMasterSecret(transcript.current());
            try {
                State traffic = markComplete(handshakeSecrets, applicationSecrets);
                sendTickets(resumptionSecret, facts);
                return traffic;
            } finally {
                wipe(resumptionSecret);
            }
        }
    }

    /**
     * NewSessionTickets (4.6.1), once the handshake is complete: each with its own nonce, so
     * its own PSK, and a random ticket_age_add; the ticket is the session's state sealed
     * under our ticket keys (stateless: nothing is kept here).
     */
    private void sendTickets(byte[] resumptionSecret, SessionFacts facts) throws TlsAlertException {
        TicketKeys keys = ctx.ticketKeys();
        int count = ctx.ticketCount();
        if (keys == null || count <= 0 || !facts.ticketsWanted()) {
            return;
        }
        long lifetime = ctx.ticketLifetimeSeconds();
        List<byte[]> chain = PeerCertificates.encode(facts.clientChain());
        for (int i = 0; i < count; i++) {
            byte[] nonce = {(byte) i};
            long ageAdd = ctx.random().nextInt() & 0xffffffffL;
            ResumptionState state = new ResumptionState(TLS13, suite.id(), schedule.ticketPsk(resumptionSecret, nonce),
                    System.currentTimeMillis(), lifetime, ageAdd, facts.serverName(), ctx.sessionId(), chain);
            byte[] plain = state.encode();
            byte[] ticket = keys.seal(plain);
            wipe(plain);
            state.destroy();
            ctx.sendHandshake(new NewSessionTicket(lifetime, ageAdd, nonce, ticket, List.of()).encode());
        }
        ctx.trace("sent " + count + " session ticket" + (count == 1 ? "" : "s") + " (lifetime " + lifetime + " s)");
    }
}
