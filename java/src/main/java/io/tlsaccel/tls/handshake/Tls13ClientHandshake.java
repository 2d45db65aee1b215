package io.tlsaccel.tls.handshake;

import static io.tlsaccel.tls.handshake.HandshakeSupport.unexpected;
import static io.tlsaccel.tls.handshake.HandshakeSupport.wipe;
import static io.tlsaccel.tls.handshake.HandshakeSupport.union;

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
import io.tlsaccel.tls.session.ClientTicket;
import io.tlsaccel.tls.session.ResumptionState;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SNIHostName;

/**
 * The TLS 1.3 client (RFC 8446 2, 4): ClientHello, [HelloRetryRequest, ClientHello],
 * ServerHello, EncryptedExtensions, [CertificateRequest], Certificate, CertificateVerify,
 * Finished; then our [Certificate, CertificateVerify], Finished.
 */
public final class Tls13ClientHandshake extends Tls13Handshake {

    /** The states of the client, each holding what its step needs. */
    sealed interface ClientState extends State permits ExpectServerHello, ExpectEncryptedExtensions,
            ExpectCertificateOrRequest, ExpectCertificate, ExpectCertificateVerify, ExpectFinished {
    }

    /**
     * What our ClientHello offered: the message itself, our key shares (one, or a hybrid and its
     * classical group beside it, as browsers send them) with their private parts,
     * key pair, the signature schemes, and, after a HelloRetryRequest, the suite it chose (4.1.4).
     */
    private record Offer(ClientHello hello, List<KeyShares.ClientShare> shares, int[] schemes, Tls13CipherSuite retrySuite,
                         ClientTicket ticket, ClientTicket session12) {
        boolean retried() {
            return retrySuite != null;
        }
    }

    /**
     * What tickets arriving after the handshake (4.6.1) are turned into PSKs with: the
     * resumption master secret and the session they resume (its server name and chain).
     */
    private record TicketBasis(Secret resumptionSecret, String serverName, List<byte[]> serverChain) {
    }

    /** Set when the handshake completes. */
    private TicketBasis ticketBasis;

    /** RFC 8446 4.2: what each server message may carry back. */
    private static final ExtensionBlock.Rules HELLO_RETRY_REQUEST_EXTENSIONS = ExtensionBlock.Rules.response(
            ExtensionContext.HELLO_RETRY_REQUEST, ExtensionType.SUPPORTED_VERSIONS, ExtensionType.KEY_SHARE, ExtensionType.COOKIE);
    private static final ExtensionBlock.Rules SERVER_HELLO_EXTENSIONS = ExtensionBlock.Rules.response(
            ExtensionContext.SERVER_HELLO, ExtensionType.SUPPORTED_VERSIONS, ExtensionType.KEY_SHARE, ExtensionType.PRE_SHARED_KEY);
    private static final ExtensionBlock.Rules ENCRYPTED_EXTENSIONS = ExtensionBlock.Rules.response(
            ExtensionContext.ENCRYPTED_EXTENSIONS, ExtensionType.SERVER_NAME, ExtensionType.ALPN, ExtensionType.SUPPORTED_GROUPS);
    private static final ExtensionBlock.Rules CERTIFICATE_REQUEST_EXTENSIONS = ExtensionBlock.Rules.request(
            ExtensionContext.CERTIFICATE_REQUEST, ExtensionType.SIGNATURE_ALGORITHMS);

    /**
     * What the encrypted part of the server's flight is read with: its secrets, our offered
     * schemes, and the ticket whose session it resumes (null: a full handshake).
     */
    private record Keys(Secret.Pair handshakeSecrets, int[] offeredSchemes, ClientTicket resumed) {
    }

    public Tls13ClientHandshake(HandshakeContext ctx) {
        super(ctx);
    }

    @Override
    protected boolean isClient() {
        return true;
    }

    @Override
    public void start() throws TlsAlertException {
        if (config.suites().isEmpty() || config.groups().isEmpty()) {
            throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "no TLS 1.3 cipher suite or group enabled");
        }
        byte[] random = new byte[32];
        ctx.random().nextBytes(random);
        // D.4 middlebox compatibility: a non-empty legacy_session_id.
        byte[] sessionId = new byte[32];
        ctx.random().nextBytes(sessionId);
        List<KeyShares.ClientShare> shares = initialShares();
        int[] offeredSchemes = config.handshakeSchemes();
        if (config.tls12()) {
            // TLS 1.2 servers may sign with rsa_pkcs1 (never accepted in a TLS 1.3 CertificateVerify).
            offeredSchemes = union(offeredSchemes, config.tls12Schemes(null));
        }
        ctx.localSignatureSchemes(offeredSchemes);
        ClientTicket cached = ctx.takeTicket();
        ClientTicket ticket = usable(cached, null);
        // A TLS 1.2 session is offered in the same ClientHello (RFC 8446 4.1.2: its session ID).
        ClientTicket session12 = config.tls12() ? Tls12ClientHandshake.resumable(cached, config) : null;
        if (session12 != null) {
            sessionId = Tls12ClientHandshake.offeredSessionId(session12, ctx.random());
        }
        ClientHello clientHello = buildClientHello(random, sessionId, null, shares, offeredSchemes, ticket, session12);
        state = new ExpectServerHello(new Offer(clientHello, shares, offeredSchemes, null, ticket, session12));
        send(clientHello.encode());
    }

    /**
     * A ticket we may offer (4.2.11): TLS 1.3, not expired, for a suite whose hash one of our
     * suites (after a HelloRetryRequest: the suite it chose) shares; else null.
     */
    private ClientTicket usable(ClientTicket ticket, Tls13CipherSuite retrySuite) {
        if (ticket == null) {
            return null;
        }
        Tls13CipherSuite original = Tls13CipherSuite.of(ticket.state().suite());
        boolean fits = ticket.state().version() == TLS13 && original != null
                && !ticket.state().expired(System.currentTimeMillis())
                && (retrySuite != null ? retrySuite.hashName().equals(original.hashName())
                        : config.suites().stream().anyMatch(s -> s.hashName().equals(original.hashName())));
        return fits ? ticket : null;
    }

    /**
     * The ClientHello; with a ticket, psk_key_exchange_modes and, last (4.2.11), a
     * pre_shared_key whose binder is computed over the message up to the binders (4.2.11.2)
     * and the transcript before it (after a HelloRetryRequest).
     */
    /**
     * A share for our first group; if that is a hybrid, one for its classical group too (when
     * enabled), so that a server without the hybrid still completes in one round trip.
     */
    private List<KeyShares.ClientShare> initialShares() {
        NamedGroup first = config.groups().get(0);
        List<KeyShares.ClientShare> shares = new ArrayList<>();
        shares.add(KeyShares.client(first, ctx.random()));
        if (first.hybrid() && config.groups().contains(first.classical())) {
            shares.add(KeyShares.client(first.classical(), ctx.random()));
        }
        return shares;
    }

    private ClientHello buildClientHello(byte[] random, byte[] sessionId, byte[] cookie, List<KeyShares.ClientShare> shares,
                                         int[] offeredSchemes, ClientTicket ticket, ClientTicket session12) throws TlsAlertException {
        ClientHello hello = buildClientHelloWithoutPsk(random, sessionId, cookie, shares, offeredSchemes, session12);
        if (ticket == null) {
            return hello;
        }
        Tls13CipherSuite pskSuite = Tls13CipherSuite.of(ticket.state().suite());
        List<Extension> exts = new ArrayList<>(hello.extensions());
        OfferedPsks psks = new OfferedPsks(List.of(new OfferedPsks.Identity(ticket.ticket(),
                ticket.obfuscatedAge(System.currentTimeMillis()))), List.of(new byte[pskSuite.hashLength()]));
        exts.add(psks.encode());
        byte[] message = new ClientHello(hello.legacyVersion(), hello.random(), hello.legacySessionId(), hello.cipherSuites(),
                hello.legacyCompressionMethods(), exts).encode();
        int truncated = message.length - psks.bindersLength();
        byte[] binder = new KeySchedule(pskSuite).binder(ticket.state().secret(), transcript.currentWith(message, truncated, pskSuite));
        System.arraycopy(binder, 0, message, message.length - binder.length, binder.length);
        wipe(binder);
        ctx.trace("offering a session ticket (psk_dhe_ke)");
        return ClientHello.decode(new TlsReader(message, 4, message.length - 4));
    }

    private ClientHello buildClientHelloWithoutPsk(byte[] random, byte[] sessionId, byte[] cookie,
                                                   List<KeyShares.ClientShare> shares, int[] offeredSchemes,
                                                   ClientTicket session12) {
        List<Tls13CipherSuite> suites13 = config.suites();
        List<io.tlsaccel.tls.record.Tls12CipherSuite> suites12 = config.tls12() ? config.suites12() : List.of();
        int[] suites = new int[suites13.size() + suites12.size()];
        for (int i = 0; i < suites13.size(); i++) {
            suites[i] = suites13.get(i).id();
        }
        for (int i = 0; i < suites12.size(); i++) {
            suites[suites13.size() + i] = suites12.get(i).id();
        }
        int[] groups = new int[config.groups().size()];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = config.groups().get(i).id();
        }
        List<Extension> exts = new ArrayList<>();
        if (config.serverName() != null) {
            exts.add(Extensions.serverName(config.serverName()));
            ctx.requestedServerNames(List.of(new SNIHostName(config.serverName())));
        }
        exts.add(Extensions.supportedVersionsClient(config.tls12() ? new int[] {TLS13, Tls12Handshake.TLS12} : new int[] {TLS13}));
        exts.add(Extensions.u16List(ExtensionType.SUPPORTED_GROUPS, groups));
        exts.add(Extensions.u16List(ExtensionType.SIGNATURE_ALGORITHMS, offeredSchemes));
        exts.add(Extensions.u16List(ExtensionType.SIGNATURE_ALGORITHMS_CERT, config.certificateSchemes()));
        if (!config.applicationProtocols().isEmpty()) {
            exts.add(Extensions.alpn(config.applicationProtocols()));
        }
        if (cookie != null) {
            exts.add(Extensions.cookie(cookie));
        }
        if (config.tls12()) {
            exts.addAll(Tls12ClientHandshake.tls12HelloExtensions());
            exts.add(Tls12ClientHandshake.sessionTicketExtension(session12));
        }
        List<KeyShareEntry> entries = new ArrayList<>();
        for (KeyShares.ClientShare share : shares) {
            entries.add(new KeyShareEntry(share.group().id(), share.encoded()));
        }
        exts.add(Extensions.keyShareClient(entries));
        // 4.2.9: also without a ticket to offer, so that the server sends us tickets.
        exts.add(OfferedPsks.dheModeOnly());
        return new ClientHello(LEGACY_VERSION, random, sessionId, suites, new byte[] {0}, exts);
    }

    private static KeyShares.ClientShare shareFor(List<KeyShares.ClientShare> shares, int groupId) {
        for (KeyShares.ClientShare s : shares) {
            if (s.group().id() == groupId) {
                return s;
            }
        }
        return null;
    }

    private Tls13CipherSuite offeredSuite(int id) throws TlsAlertException {
        Tls13CipherSuite s = Tls13CipherSuite.of(id);
        if (s == null || !config.suites().contains(s)) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "server chose a cipher suite we did not offer");
        }
        return s;
    }

    /** Awaiting ServerHello (or a first HelloRetryRequest). */
    final class ExpectServerHello implements ClientState {
        private final Offer offer;

        ExpectServerHello(Offer offer) {
            this.offer = offer;
        }

        @Override
        public State handle(int type, byte[] message, TlsReader body) throws TlsAlertException {
            if (type != HandshakeType.SERVER_HELLO) {
                throw unexpected(type);
            }
            ServerHello sh = ServerHello.decode(body);
            byte[] sv = sh.extension(ExtensionType.SUPPORTED_VERSIONS);
            ClientHello clientHello = offer.hello();
            if (sv == null && config.tls12() && !offer.retried()) {
                // The server chose TLS 1.2: hand over (the 1.2 machine checks the downgrade sentinel).
                Tls12ClientHandshake next = new Tls12ClientHandshake(ctx, clientHello, clientHello.encode(), offer.schemes(), offer.session12());
                ctx.switchTo(next);
                next.handle(message);
                return null;
            }
            if (sv == null) {
                // 4.1.3: a TLS 1.3-capable client must check the downgrade sentinel.
                DowngradeSentinel.check(sh.random());
                throw new TlsAlertException(AlertDescription.PROTOCOL_VERSION, "server does not speak TLS 1.3");
            }
            if (Extensions.parseSupportedVersionsServer(sv) != TLS13) {
                // 4.2.1: a version we did not offer.
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "server selected a version we did not offer");
            }
            if (sh.legacyVersion() != LEGACY_VERSION) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "bad ServerHello.legacy_version");
            }
            if (!MessageDigest.isEqual(sh.legacySessionIdEcho(), clientHello.legacySessionId())) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "legacy_session_id_echo mismatch");
            }
            if (sh.legacyCompressionMethod() != 0) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "non-null compression method");
            }
            Tls13CipherSuite chosen = offeredSuite(sh.cipherSuite());
            if (sh.isHelloRetryRequest()) {
                return helloRetryRequest(offer, sh, chosen, message);
            }
            return serverHello(offer, sh, chosen, message);
        }
    }

    private State helloRetryRequest(Offer offer, ServerHello hrr, Tls13CipherSuite chosen, byte[] message)
            throws TlsAlertException {
        if (offer.retried()) {
            // 4.1.4: a second HelloRetryRequest is unexpected_message.
            throw unexpected(HandshakeType.SERVER_HELLO);
        }
        ExtensionBlock ext = ExtensionBlock.parse(hrr.extensions(), HELLO_RETRY_REQUEST_EXTENSIONS);
        byte[] cookie = ext.has(ExtensionType.COOKIE) ? Extensions.parseCookie(ext.get(ExtensionType.COOKIE)) : null;
        int selectedGroup = ext.has(ExtensionType.KEY_SHARE)
                ? Extensions.parseKeyShareHelloRetry(ext.get(ExtensionType.KEY_SHARE)) : -1;
        if (selectedGroup < 0 && cookie == null) {
            // 4.1.4: an HRR that would not change the ClientHello is illegal_parameter.
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "HelloRetryRequest asks for no change");
        }
        List<KeyShares.ClientShare> shares = offer.shares();
        if (selectedGroup >= 0) {
            NamedGroup g = NamedGroup.of(selectedGroup);
            // 4.2.8: the group must be one we support and not one we already sent a share for.
            if (g == null || !config.groups().contains(g) || shareFor(shares, g.id()) != null) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "HelloRetryRequest selected a bad group");
            }
            shares.forEach(KeyShares.ClientShare::destroy);
            shares = List.of(KeyShares.client(g, ctx.random()));
        }
        suite = chosen;
        transcript.replaceWithMessageHash(chosen);
        transcript.update(message);
        ClientHello first = offer.hello();
        // 4.1.4: the ticket stays only if its hash is the chosen suite's; its binder is computed anew.
        ClientTicket ticket = usable(offer.ticket(), chosen);
        ClientHello second = buildClientHello(first.random(), first.legacySessionId(), cookie, shares, offer.schemes(),
                ticket, offer.session12());
        send(second.encode());
        return new ExpectServerHello(new Offer(second, shares, offer.schemes(), chosen, ticket, offer.session12()));
    }

    private State serverHello(Offer offer, ServerHello sh, Tls13CipherSuite chosen, byte[] message) throws TlsAlertException {
        if (offer.retried() && chosen != offer.retrySuite()) {
            // 4.1.4: the ServerHello must use the HelloRetryRequest's suite.
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "cipher suite changed after HelloRetryRequest");
        }
        ExtensionBlock ext = ExtensionBlock.parse(sh.extensions(), SERVER_HELLO_EXTENSIONS);
        ClientTicket resumed = null;
        if (ext.has(ExtensionType.PRE_SHARED_KEY)) {
            int index = OfferedPsks.parseSelected(ext.get(ExtensionType.PRE_SHARED_KEY));
            // 4.2.11: an identity we offered, and a suite with the PSK's hash.
            if (offer.ticket() == null || index != 0) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "pre_shared_key we did not offer");
            }
            if (!Tls13CipherSuite.of(offer.ticket().state().suite()).hashName().equals(chosen.hashName())) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "cipher suite does not fit the PSK's hash");
            }
            resumed = offer.ticket();
        }
        if (!ext.has(ExtensionType.KEY_SHARE)) {
            throw new TlsAlertException(AlertDescription.MISSING_EXTENSION, "ServerHello without key_share");
        }
        KeyShareEntry share = Extensions.parseKeyShareServer(ext.get(ExtensionType.KEY_SHARE));
        KeyShares.ClientShare ours = shareFor(offer.shares(), share.group());
        if (ours == null) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "key share for a group we did not send");
        }
        NamedGroup group = ours.group();
        suite = chosen;
        ctx.negotiated(suite);
        ctx.trace("server chose " + suite.name() + ", key exchange " + group.jdkName());
        schedule = new KeySchedule(suite);
        if (resumed != null) {
            schedule.usePsk(resumed.state().secret());
            ctx.resumed(resumed.state().sessionId(), PeerCertificates.parseOrNull(resumed.state().peerCertificates()));
            ctx.trace("server accepted the ticket: resuming the session");
        }
        transcript.selectHash(suite);
        transcript.update(message);
        byte[] shared;
        try {
            shared = ours.sharedSecret(share.keyExchange());
        } finally {
            offer.shares().forEach(KeyShares.ClientShare::destroy);
        }
        Secret.Pair hs = deriveHandshakeSecrets(shared);
        installRead(hs.server(), false);
        // D.4: the compatibility CCS, then our handshake keys at once, so that even an alert
        // we send from here on is protected as the server expects.
        ctx.sendChangeCipherSpec();
        installWrite(hs.client(), false);
        return new ExpectEncryptedExtensions(new Keys(hs, offer.schemes(), resumed));
    }

    final class ExpectEncryptedExtensions implements ClientState {
        private final Keys keys;

        ExpectEncryptedExtensions(Keys keys) {
            this.keys = keys;
        }

        @Override
        public State handle(int type, byte[] message, TlsReader body) throws TlsAlertException {
            if (type != HandshakeType.ENCRYPTED_EXTENSIONS) {
                throw unexpected(type);
            }
            EncryptedExtensions ee = EncryptedExtensions.decode(body);
            ExtensionBlock ext = ExtensionBlock.parse(ee.extensions(), ENCRYPTED_EXTENSIONS);
            if (ext.has(ExtensionType.SERVER_NAME)) {
                ServerHelloExtensions.checkServerNameAnswer(ctx, ext.get(ExtensionType.SERVER_NAME));
            }
            if (ext.has(ExtensionType.ALPN)) {
                ServerHelloExtensions.acceptApplicationProtocol(ctx, ext.get(ExtensionType.ALPN));
            } else if (!config.applicationProtocols().isEmpty()) {
                ctx.applicationProtocol("");
            }
            if (ext.has(ExtensionType.SUPPORTED_GROUPS)) {
                // 4.2.7: the server's preference, for later connections; checked for syntax only.
                Extensions.parseU16List(ext.get(ExtensionType.SUPPORTED_GROUPS));
            }
            updateTranscript(message);
            if (keys.resumed() != null) {
                // 2.2: a PSK handshake has no certificates and no CertificateRequest (4.3.2).
                return new ExpectFinished(keys.handshakeSecrets(), null, keys.resumed().state().peerCertificates());
            }
            return new ExpectCertificateOrRequest(keys);
        }
    }

    final class ExpectCertificateOrRequest implements ClientState {
        private final Keys keys;

        ExpectCertificateOrRequest(Keys keys) {
            this.keys = keys;
        }

        @Override
        public State handle(int type, byte[] message, TlsReader body) throws TlsAlertException {
            if (type == HandshakeType.CERTIFICATE_REQUEST) {
                CertificateRequest cr = CertificateRequest.decode(body);
                if (cr.requestContext().length != 0) {
                    // 4.3.2: empty context in the main handshake.
                    throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "non-empty certificate_request_context");
                }
                byte[] sa = ExtensionBlock.parse(cr.extensions(), CERTIFICATE_REQUEST_EXTENSIONS)
                        .get(ExtensionType.SIGNATURE_ALGORITHMS);
                if (sa == null) {
                    throw new TlsAlertException(AlertDescription.MISSING_EXTENSION, "CertificateRequest without signature_algorithms");
                }
                int[] requested = Extensions.parseU16List(sa);
                updateTranscript(message);
                return new ExpectCertificate(keys, requested);
            }
            return new ExpectCertificate(keys, null).handle(type, message, body);
        }
    }

    final class ExpectCertificate implements ClientState {
        private final Keys keys;
        /** signature_algorithms of the server's CertificateRequest, or null if it sent none. */
        private final int[] requestedSchemes;

        ExpectCertificate(Keys keys, int[] requestedSchemes) {
            this.keys = keys;
            this.requestedSchemes = requestedSchemes;
        }

        @Override
        public State handle(int type, byte[] message, TlsReader body) throws TlsAlertException {
            if (type != HandshakeType.CERTIFICATE) {
                throw unexpected(type);
            }
            CertificateMessage cm = CertificateMessage.decode(body);
            if (cm.requestContext().length != 0) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "non-empty server certificate_request_context");
            }
            if (cm.certificates().isEmpty()) {
                // 4.4.2.4: an empty server Certificate is decode_error.
                throw new TlsAlertException(AlertDescription.DECODE_ERROR, "empty server Certificate");
            }
            X509Certificate[] serverChain = PeerCertificates.receive(ctx, cm.certificates(), true, leaf -> "UNKNOWN");
            updateTranscript(message);
            return new ExpectCertificateVerify(keys, requestedSchemes, serverChain);
        }
    }

    final class ExpectCertificateVerify implements ClientState {
        private final Keys keys;
        private final int[] requestedSchemes;
        private final X509Certificate[] serverChain;

        ExpectCertificateVerify(Keys keys, int[] requestedSchemes, X509Certificate[] serverChain) {
            this.keys = keys;
            this.requestedSchemes = requestedSchemes;
            this.serverChain = serverChain;
        }

        @Override
        public State handle(int type, byte[] message, TlsReader body) throws TlsAlertException {
            if (type != HandshakeType.CERTIFICATE_VERIFY) {
                throw unexpected(type);
            }
            verifyPeerCertificateVerify(body, serverChain[0].getPublicKey(), keys.offeredSchemes());
            updateTranscript(message);
            return new ExpectFinished(keys.handshakeSecrets(), requestedSchemes, PeerCertificates.encode(serverChain));
        }
    }

    final class ExpectFinished implements ClientState {
        private final Secret.Pair handshakeSecrets;
        private final int[] requestedSchemes;
        /** The server's chain (DER), for the tickets of this session. */
        private final List<byte[]> serverChain;

        ExpectFinished(Secret.Pair handshakeSecrets, int[] requestedSchemes, List<byte[]> serverChain) {
            this.handshakeSecrets = handshakeSecrets;
            this.requestedSchemes = requestedSchemes;
            this.serverChain = serverChain;
        }

        @Override
        public State handle(int type, byte[] message, TlsReader body) throws TlsAlertException {
            if (type != HandshakeType.FINISHED) {
                throw unexpected(type);
            }
            verifyPeerFinished(body, handshakeSecrets);
            updateTranscript(message);
            Secret.Pair app = deriveApplicationSecrets();
            installRead(app.server(), true);
            sendClientFlight(handshakeSecrets, app, requestedSchemes);
            ticketBasis = new TicketBasis(secrets.own(schedule.resumptionMasterSecret(transcript.current())),
                    config.serverName() == null ? "" : config.serverName(), serverChain);
            return markComplete(handshakeSecrets, app);
        }
    }

    /** 4.6.1: a ticket for later connections, with the PSK it stands for; a lifetime of 0 means do not keep it. */
    @Override
    protected void ticketReceived(NewSessionTicket nst) {
        if (ticketBasis == null || nst.lifetime() == 0) {
            return;
        }
        ResumptionState state = new ResumptionState(TLS13, suite.id(),
                schedule.ticketPsk(ticketBasis.resumptionSecret().bytes(), nst.nonce()), System.currentTimeMillis(),
                nst.lifetime(), nst.ageAdd(), ticketBasis.serverName(), ctx.sessionId(), ticketBasis.serverChain());
        ctx.storeTicket(new ClientTicket(nst.ticket(), state));
        ctx.trace("received a session ticket (lifetime " + nst.lifetime() + " s)");
    }

    /** Our [Certificate, CertificateVerify] and Finished (4.4), then our application keys. */
    private void sendClientFlight(Secret.Pair handshakeSecrets, Secret.Pair app, int[] requestedSchemes)
            throws TlsAlertException {
        if (requestedSchemes != null) {
            sendClientCertificate(requestedSchemes);
        }
        sendFinished(handshakeSecrets);
        installWrite(app.client(), true);
    }

    private void sendClientCertificate(int[] serverSchemes) throws TlsAlertException {
        ctx.peerSignatureSchemes(serverSchemes);
        int[] usable = config.permittedHandshakeSchemes(serverSchemes);
        Set<String> keyTypes = Credentials.handshakeKeyTypes(usable);
        Credentials base = Credentials.forClient(ctx, keyTypes.toArray(new String[0]), null);
        Credentials cred = base == null ? null
                : base.withFirstScheme(usable, s -> s.usableInHandshake() && s.matches(base.key()));
        if (cred == null) {
            // 4.4.2: no suitable certificate: send an empty Certificate and no CertificateVerify.
            send(new CertificateMessage(new byte[0], List.of()).encode());
            return;
        }
        send(cred.certificateMessage13());
        ctx.localCertificates(cred.chain());
        byte[] content = certificateVerifyContent(false, transcript.current());
        send(new CertificateVerify(cred.scheme().id(), cred.sign(content, ctx.random(), "CertificateVerify")).encode());
    }

}
