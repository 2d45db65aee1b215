package io.tlsaccel.tls.handshake;

import static io.tlsaccel.tls.handshake.HandshakeSupport.contains;
import static io.tlsaccel.tls.handshake.HandshakeSupport.unexpected;

import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.CertificateVerify;
import io.tlsaccel.tls.message.ClientHello;
import io.tlsaccel.tls.message.EcdheClientKeyExchange;
import io.tlsaccel.tls.message.EcdheServerKeyExchange;
import io.tlsaccel.tls.message.ExtendedMasterSecret;
import io.tlsaccel.tls.message.Extension;
import io.tlsaccel.tls.message.ExtensionBlock;
import io.tlsaccel.tls.message.ExtensionType;
import io.tlsaccel.tls.message.Extensions;
import io.tlsaccel.tls.message.HandshakeType;
import io.tlsaccel.tls.message.RenegotiationInfo;
import io.tlsaccel.tls.message.RsaClientKeyExchange;
import io.tlsaccel.tls.message.ServerHello;
import io.tlsaccel.tls.message.ServerHelloDone;
import io.tlsaccel.tls.message.Tls12Certificate;
import io.tlsaccel.tls.message.Tls12CertificateRequest;
import io.tlsaccel.tls.message.TlsAlertException;
import io.tlsaccel.tls.message.TlsReader;
import io.tlsaccel.tls.message.Tls12NewSessionTicket;
import io.tlsaccel.tls.record.Tls12CipherSuite;
import io.tlsaccel.tls.session.ClientTicket;
import io.tlsaccel.tls.session.ResumptionState;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.Principal;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.security.auth.x500.X500Principal;

/**
 * The TLS 1.2 client (RFC 5246 7.3): ClientHello; ServerHello, Certificate,
 * [ServerKeyExchange], [CertificateRequest], ServerHelloDone; our [Certificate],
 * ClientKeyExchange, [CertificateVerify], ChangeCipherSpec, Finished; the server's
 * ChangeCipherSpec and Finished. Either started on its own (TLS 1.2 only) or handed the
 * ClientHello by {@link Tls13ClientHandshake} when the server answered with TLS 1.2.
 */
public final class Tls12ClientHandshake extends Tls12Handshake {

    /** The states of the client, each holding what its step needs. */
    sealed interface ClientState extends State permits ExpectServerHello, ExpectCertificate, ExpectServerKeyExchange,
            ExpectCertificateRequestOrDone, ExpectServerHelloDone, ExpectNewSessionTicket, ExpectFinished {
    }

    /**
     * What our ClientHello offered: the message (its version binds the RSA pre-master secret),
     * the signature schemes, and whether TLS 1.3 was offered too, in which case the downgrade
     * sentinel must be checked (RFC 8446 4.1.3).
     */
    private record Offer(ClientHello clientHello, int[] schemes, boolean offeredTls13, ClientTicket session) {
    }

    /**
     * What the session is kept under for later connections (RFC 5246 7.3, RFC 5077): the ID
     * the server gave it (may be empty), the ticket it sent (null: none), the server's chain.
     */
    private byte[] serverSessionId = new byte[0];
    private Tls12NewSessionTicket ticket;

    /** What the server's flight told us: its chain and, for ECDHE, its group and ephemeral key. */
    private record ServerParameters(Offer offer, X509Certificate[] chain, NamedGroup group, PublicKey ephemeral,
                                    boolean ticketComing) {
    }

    /** RFC 5246 7.4.1.4: only extensions we offered may come back. */
    private static final ExtensionBlock.Rules SERVER_HELLO_EXTENSIONS = ExtensionBlock.Rules.tls12Response("ServerHello",
            ExtensionType.RENEGOTIATION_INFO, ExtensionType.EXTENDED_MASTER_SECRET, ExtensionType.EC_POINT_FORMATS,
            ExtensionType.SERVER_NAME, ExtensionType.ALPN, ExtensionType.SESSION_TICKET);

    /** TLS 1.2 only: {@link #start()} sends the ClientHello. */
    public Tls12ClientHandshake(HandshakeContext ctx) {
        super(ctx);
    }

    /** Takes over from a TLS 1.3 client whose ClientHello (already sent and encoded as {@code clientHelloMessage}) also offered TLS 1.2. */
    Tls12ClientHandshake(HandshakeContext ctx, ClientHello clientHello, byte[] clientHelloMessage, int[] offeredSchemes,
                         ClientTicket session) {
        super(ctx);
        this.clientRandom = clientHello.random().clone();
        updateTranscript(clientHelloMessage);
        state = new ExpectServerHello(new Offer(clientHello, offeredSchemes, true, session));
    }

    /** A cached TLS 1.2 session we may offer (enabled suite, not expired), or null. */
    static ClientTicket resumable(ClientTicket t, HandshakeConfig config) {
        if (t == null || t.state().version() != TLS12 || t.state().expired(System.currentTimeMillis())) {
            return null;
        }
        Tls12CipherSuite s = Tls12CipherSuite.of(t.state().suite());
        return s != null && config.suites12().contains(s) ? t : null;
    }

    /** RFC 5077 3.4: with a ticket, a fresh random ID (the server echoes it if it resumes); else the cached ID. */
    static byte[] offeredSessionId(ClientTicket session, java.security.SecureRandom random) {
        if (session.ticket().length == 0) {
            return session.state().sessionId().clone();
        }
        byte[] id = new byte[32];
        random.nextBytes(id);
        return id;
    }

    /** session_ticket (RFC 5077 3.2): the ticket to resume with, or empty to ask for one. */
    static Extension sessionTicketExtension(ClientTicket session) {
        return new Extension(ExtensionType.SESSION_TICKET, session == null ? new byte[0] : session.ticket());
    }

    @Override
    protected boolean isClient() {
        return true;
    }

    /** The extensions a ClientHello carries for TLS 1.2 (whether or not it also offers 1.3). */
    static List<Extension> tls12HelloExtensions() {
        List<Extension> exts = new ArrayList<>();
        // RFC 8422 5.1.2: uncompressed points only.
        exts.add(new Extension(ExtensionType.EC_POINT_FORMATS, new byte[] {1, 0}));
        // RFC 7627 5.1 and RFC 5746 3.4 (initial handshake: empty renegotiated_connection).
        exts.add(ExtendedMasterSecret.extension());
        exts.add(RenegotiationInfo.initial());
        return exts;
    }

    @Override
    public void start() throws TlsAlertException {
        if (config.suites12().isEmpty() || config.groups().isEmpty()) {
            throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "no TLS 1.2 cipher suite or group enabled");
        }
        clientRandom = new byte[32];
        ctx.random().nextBytes(clientRandom);
        int[] offeredSchemes = config.tls12Schemes("jdk.tls.client.SignatureSchemes");
        int[] suites = new int[config.suites12().size()];
        for (int i = 0; i < suites.length; i++) {
            suites[i] = config.suites12().get(i).id();
        }
        // The hybrid groups are TLS 1.3 only (draft-ietf-tls-ecdhe-mlkem).
        int[] groups = config.groups().stream().filter(g -> !g.hybrid()).mapToInt(NamedGroup::id).toArray();
        List<Extension> exts = new ArrayList<>();
        if (config.serverName() != null) {
            exts.add(Extensions.serverName(config.serverName()));
            ctx.requestedServerNames(List.of(new SNIHostName(config.serverName())));
        }
        exts.add(Extensions.u16List(ExtensionType.SUPPORTED_GROUPS, groups));
        exts.add(Extensions.u16List(ExtensionType.SIGNATURE_ALGORITHMS, offeredSchemes));
        // RFC 8446 4.2.3 (also for TLS 1.2 peers): what we accept in certificates, which may be
        // more than what we accept in handshake signatures.
        exts.add(Extensions.u16List(ExtensionType.SIGNATURE_ALGORITHMS_CERT, config.certificateSchemes()));
        if (!config.applicationProtocols().isEmpty()) {
            exts.add(Extensions.alpn(config.applicationProtocols()));
        }
        exts.addAll(tls12HelloExtensions());
        ClientTicket session = resumable(ctx.takeTicket(), config);
        exts.add(sessionTicketExtension(session));
        // 7.4.1.2: the ID of a session to resume, else empty.
        byte[] sessionId = session == null ? new byte[0] : offeredSessionId(session, ctx.random());
        ClientHello clientHello = new ClientHello(TLS12, clientRandom.clone(), sessionId, suites, new byte[] {0}, exts);
        state = new ExpectServerHello(new Offer(clientHello, offeredSchemes, false, session));
        send(clientHello.encode());
    }

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
            return serverHello(offer, ServerHello.decode(body), message);
        }
    }

    private State serverHello(Offer offer, ServerHello sh, byte[] message) throws TlsAlertException {
        if (sh.legacyVersion() != TLS12) {
            // RFC 5246 E.1: we never speak SSL 3.0, TLS 1.0 or 1.1.
            throw new TlsAlertException(sh.legacyVersion() < TLS12 ? AlertDescription.PROTOCOL_VERSION
                    : AlertDescription.ILLEGAL_PARAMETER, "server chose version 0x" + Integer.toHexString(sh.legacyVersion()));
        }
        if (sh.isHelloRetryRequest()) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "HelloRetryRequest without TLS 1.3");
        }
        if (offer.offeredTls13()) {
            // RFC 8446 4.1.3: a TLS 1.3 server negotiating 1.2 marks its random; seeing the mark
            // means someone removed TLS 1.3 from our ClientHello.
            DowngradeSentinel.check(sh.random());
        }
        Tls12CipherSuite chosen = Tls12CipherSuite.of(sh.cipherSuite());
        if (chosen == null || !config.suites12().contains(chosen)) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "server chose a cipher suite we did not offer");
        }
        if (sh.legacyCompressionMethod() != 0) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "non-null compression method");
        }
        ExtensionBlock ext = ExtensionBlock.parse(sh.extensions(), SERVER_HELLO_EXTENSIONS);
        boolean renegotiationInfo = ext.has(ExtensionType.RENEGOTIATION_INFO);
        if (renegotiationInfo) {
            RenegotiationInfo.checkInitial(ext.get(ExtensionType.RENEGOTIATION_INFO));
        }
        boolean ems = ext.has(ExtensionType.EXTENDED_MASTER_SECRET);
        if (ems) {
            ExtendedMasterSecret.decode(ext.get(ExtensionType.EXTENDED_MASTER_SECRET));
        }
        if (ext.has(ExtensionType.EC_POINT_FORMATS)) {
            checkPointFormats(ext.get(ExtensionType.EC_POINT_FORMATS), "server");
        }
        if (ext.has(ExtensionType.SERVER_NAME)) {
            ServerHelloExtensions.checkServerNameAnswer(ctx, ext.get(ExtensionType.SERVER_NAME));
        }
        if (ext.has(ExtensionType.ALPN)) {
            ServerHelloExtensions.acceptApplicationProtocol(ctx, ext.get(ExtensionType.ALPN));
        }
        if (!renegotiationInfo) {
            // RFC 5746 4.1: we refuse servers without secure renegotiation support.
            throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "server does not support secure renegotiation (RFC 5746)");
        }
        if (!ems && extendedMasterSecretRequired()) {
            // RFC 7627 5.3: a client requiring the extension aborts.
            throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "server did not negotiate extended_master_secret");
        }
        extendedMasterSecret = ems;
        serverRandom = sh.random().clone();
        boolean ticketComing = ext.has(ExtensionType.SESSION_TICKET);
        if (ticketComing && ext.get(ExtensionType.SESSION_TICKET).length != 0) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR, "non-empty session_ticket in ServerHello");
        }
        byte[] echo = sh.legacySessionIdEcho();
        if (offer.session() != null && echo.length > 0 && MessageDigest.isEqual(echo, offer.clientHello().legacySessionId())) {
            return resumed(offer.session(), chosen, message, ticketComing);
        }
        serverSessionId = echo.clone();
        ctx.serverSessionId(serverSessionId);
        selectSuite(chosen);
        ctx.trace("server chose TLS 1.2, " + chosen.name());
        updateTranscript(message);
        return new ExpectCertificate(offer, ticketComing);
    }

    /**
     * The server resumes our session (7.3): same suite, and the extended master secret again
     * (RFC 7627 5.3); then [NewSessionTicket], its ChangeCipherSpec and Finished, then ours.
     */
    private State resumed(ClientTicket session, Tls12CipherSuite chosen, byte[] message, boolean ticketComing)
            throws TlsAlertException {
        ResumptionState st = session.state();
        if (chosen.id() != st.suite()) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "resumed session with another cipher suite");
        }
        if (!extendedMasterSecret) {
            throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "resumed session without extended_master_secret");
        }
        selectSuite(chosen);
        updateTranscript(message);
        resumeMasterSecret(st.secret());
        serverSessionId = st.sessionId().clone();
        ctx.resumed(st.sessionId(), PeerCertificates.parseOrNull(st.peerCertificates()));
        ctx.trace("server resumed the session (abbreviated handshake)");
        State finish = new ExpectChangeCipherSpec(new ExpectFinished(true, st.peerCertificates()));
        return ticketComing ? new ExpectNewSessionTicket(finish) : finish;
    }

    /** RFC 5077 3.3: the server's NewSessionTicket, before its ChangeCipherSpec. */
    final class ExpectNewSessionTicket implements ClientState {
        private final State next;

        ExpectNewSessionTicket(State next) {
            this.next = next;
        }

        @Override
        public State handle(int type, byte[] message, TlsReader body) throws TlsAlertException {
            if (type != HandshakeType.NEW_SESSION_TICKET) {
                throw unexpected(type);
            }
            ticket = Tls12NewSessionTicket.decode(body);
            updateTranscript(message);
            return next;
        }

        @Override
        public State changeCipherSpec() throws TlsAlertException {
            // 3.3: a server that said it would send a ticket and then does not is in error.
            throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "ChangeCipherSpec instead of the promised NewSessionTicket");
        }
    }

    /** Keeps the session for later connections to this peer, if the server gave an ID or a ticket. */
    private void keepSession(List<byte[]> serverChain) {
        boolean haveTicket = ticket != null && ticket.ticket().length > 0;
        if (!haveTicket && serverSessionId.length == 0) {
            return;
        }
        long lifetime = haveTicket && ticket.lifetimeHint() > 0 ? Math.min(ticket.lifetimeHint(), 604800) : 86400;
        ResumptionState st = resumptionState(lifetime, config.serverName() == null ? "" : config.serverName(),
                serverSessionId, serverChain);
        if (st != null) {
            ctx.storeTicket(new ClientTicket(haveTicket ? ticket.ticket() : new byte[0], st));
        }
    }

    final class ExpectCertificate implements ClientState {
        private final Offer offer;
        private final boolean ticketComing;

        ExpectCertificate(Offer offer, boolean ticketComing) {
            this.offer = offer;
            this.ticketComing = ticketComing;
        }

        @Override
        public State handle(int type, byte[] message, TlsReader body) throws TlsAlertException {
            if (type != HandshakeType.CERTIFICATE) {
                throw unexpected(type);
            }
            Tls12Certificate cm = Tls12Certificate.decode(body);
            if (cm.certificates().isEmpty()) {
                throw new TlsAlertException(AlertDescription.DECODE_ERROR, "empty server Certificate");
            }
            X509Certificate[] serverChain = PeerCertificates.receive(ctx, cm.certificates(), true, leaf -> {
                if (!suite.keyExchange().keyType().equals(SignatureScheme.keyTypeOf(leaf.getPublicKey()))) {
                    // RFC 5246 7.4.2: the certificate key must suit the key exchange.
                    throw new TlsAlertException(AlertDescription.UNSUPPORTED_CERTIFICATE,
                            "server certificate key does not fit " + suite.name());
                }
                return suite.keyExchange().authType();
            });
            updateTranscript(message);
            return suite.keyExchange().ephemeral() ? new ExpectServerKeyExchange(offer, serverChain, ticketComing)
                    : new ExpectCertificateRequestOrDone(new ServerParameters(offer, serverChain, null, null, ticketComing));
        }
    }

    final class ExpectServerKeyExchange implements ClientState {
        private final Offer offer;
        private final X509Certificate[] serverChain;
        private final boolean ticketComing;

        ExpectServerKeyExchange(Offer offer, X509Certificate[] serverChain, boolean ticketComing) {
            this.offer = offer;
            this.serverChain = serverChain;
            this.ticketComing = ticketComing;
        }

        @Override
        public State handle(int type, byte[] message, TlsReader body) throws TlsAlertException {
            if (type != HandshakeType.SERVER_KEY_EXCHANGE) {
                throw unexpected(type);
            }
            EcdheServerKeyExchange ske = EcdheServerKeyExchange.decode(body);
            NamedGroup g = NamedGroup.of(ske.namedGroup());
            if (g == null || g.hybrid() || !config.groups().contains(g)) {
                // RFC 8422 5.4: a curve we did not offer.
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "ServerKeyExchange uses a group we did not offer");
            }
            // RFC 8422 5.4 / RFC 5246 7.4.3: the signature covers both randoms and the params.
            PeerCertificates.verifySignature(ctx, ske.signatureScheme(), offer.schemes(), serverChain[0].getPublicKey(), false,
                    ske.signedParams(clientRandom, serverRandom), ske.signature(), "ServerKeyExchange",
                    "server key exchange signature");
            PublicKey serverEphemeral = g.decodePublic(ske.publicPoint());
            ctx.trace("key exchange " + g.jdkName());
            updateTranscript(message);
            return new ExpectCertificateRequestOrDone(new ServerParameters(offer, serverChain, g, serverEphemeral, ticketComing));
        }
    }

    final class ExpectCertificateRequestOrDone implements ClientState {
        private final ServerParameters server;

        ExpectCertificateRequestOrDone(ServerParameters server) {
            this.server = server;
        }

        @Override
        public State handle(int type, byte[] message, TlsReader body) throws TlsAlertException {
            if (type == HandshakeType.CERTIFICATE_REQUEST) {
                Tls12CertificateRequest certificateRequest = Tls12CertificateRequest.decode(body);
                ctx.peerSignatureSchemes(certificateRequest.signatureSchemes());
                updateTranscript(message);
                return new ExpectServerHelloDone(server, certificateRequest);
            }
            return new ExpectServerHelloDone(server, null).handle(type, message, body);
        }
    }

    final class ExpectServerHelloDone implements ClientState {
        private final ServerParameters server;
        /** The server's CertificateRequest, or null if it sent none. */
        private final Tls12CertificateRequest certificateRequest;

        ExpectServerHelloDone(ServerParameters server, Tls12CertificateRequest certificateRequest) {
            this.server = server;
            this.certificateRequest = certificateRequest;
        }

        @Override
        public State handle(int type, byte[] message, TlsReader body) throws TlsAlertException {
            if (type != HandshakeType.SERVER_HELLO_DONE) {
                throw unexpected(type);
            }
            ServerHelloDone.decode(body);
            updateTranscript(message);
            sendClientFlight(server, certificateRequest);
            State finish = new ExpectChangeCipherSpec(new ExpectFinished(false, PeerCertificates.encode(server.chain())));
            return server.ticketComing() ? new ExpectNewSessionTicket(finish) : finish;
        }
    }

    /** RFC 5246 7.4.6: a certificate of a type and signature algorithm the server asked for. */
    private Credentials chooseClientCredentials(Tls12CertificateRequest certificateRequest, int[] offeredSchemes) {
        int[] schemes = certificateRequest.signatureSchemes();
        int[] types = certificateRequest.certificateTypes();
        Set<String> keyTypes = new LinkedHashSet<>();
        for (int id : schemes) {
            SignatureScheme s = SignatureScheme.of(id);
            if (s == null || !contains(offeredSchemes, id)) {
                continue;
            }
            if ((s.keyType().equals("EC") && contains(types, Tls12CertificateRequest.ECDSA_SIGN))
                    || (s.keyType().equals("RSA") && contains(types, Tls12CertificateRequest.RSA_SIGN))) {
                keyTypes.add(s.keyType());
            }
        }
        // 7.4.4: certificate_authorities narrows the choice to chains under those issuers.
        List<Principal> issuers = new ArrayList<>();
        for (byte[] dn : certificateRequest.certificateAuthorities()) {
            try {
                issuers.add(new X500Principal(dn));
            } catch (IllegalArgumentException e) {
                // An undecodable name cannot match any of our issuers; skip it.
            }
        }
        Credentials base = Credentials.forClient(ctx, keyTypes.toArray(new String[0]),
                issuers.isEmpty() ? null : issuers.toArray(new Principal[0]));
        return base == null ? null : base.withFirstScheme(schemes,
                s -> contains(offeredSchemes, s.id()) && s.matchesTls12(base.key()) && s.matchesTls12(base.leafKey()));
    }

    private void sendClientFlight(ServerParameters server, Tls12CertificateRequest certificateRequest)
            throws TlsAlertException {
        Credentials cred = null;
        if (certificateRequest != null) {
            cred = chooseClientCredentials(certificateRequest, server.offer().schemes());
            if (cred != null) {
                send(cred.certificateMessage12());
                ctx.localCertificates(cred.chain());
            } else {
                // RFC 5246 7.4.6: with no suitable certificate the list is empty.
                send(new Tls12Certificate(List.of()).encode());
            }
        }

        // ---- ClientKeyExchange (7.4.7) ----
        byte[] preMaster;
        if (suite.keyExchange().ephemeral()) {
            NamedGroup group = server.group();
            KeyPair kp = group.generate(ctx.random());
            preMaster = group.agree(kp.getPrivate(), server.ephemeral());
            send(new EcdheClientKeyExchange(group.encodePublic(kp.getPublic())).encode());
        } else {
            RsaPremasterSecret.Encrypted enc;
            try {
                // 7.4.7.1: the version is the one we offered in ClientHello.client_version.
                enc = RsaPremasterSecret.encrypt(server.chain()[0].getPublicKey(),
                        server.offer().clientHello().legacyVersion(), ctx.random());
            } catch (InvalidKeyException e) {
                throw new TlsAlertException(AlertDescription.UNSUPPORTED_CERTIFICATE, "cannot encrypt to the server's key", e);
            }
            preMaster = enc.preMasterSecret().copy();
            enc.preMasterSecret().destroy();
            send(new RsaClientKeyExchange(enc.encryptedPreMasterSecret()).encode());
            ctx.trace("pre-master secret sent encrypted to the server's RSA key");
        }
        deriveMasterSecret(preMaster);

        // ---- CertificateVerify (7.4.8): a signature over every message so far ----
        if (cred != null) {
            send(new CertificateVerify(cred.scheme().id(), cred.sign(transcriptBytes(), ctx.random(), "CertificateVerify")).encode());
            ctx.trace("client certificate sent, signed with " + cred.scheme().rfcName());
        }
        sendChangeCipherSpecAndSwitch();
        sendFinished();
    }

    /** The server's Finished; in an abbreviated handshake our ChangeCipherSpec and Finished follow (7.3). */
    final class ExpectFinished implements ClientState {
        private final boolean abbreviated;
        private final List<byte[]> serverChain;

        ExpectFinished(boolean abbreviated, List<byte[]> serverChain) {
            this.abbreviated = abbreviated;
            this.serverChain = serverChain;
        }

        @Override
        public State handle(int type, byte[] message, TlsReader body) throws TlsAlertException {
            if (type != HandshakeType.FINISHED) {
                throw unexpected(type);
            }
            checkFinished(message, body);
            if (abbreviated) {
                sendChangeCipherSpecAndSwitch();
                sendFinished();
            }
            keepSession(serverChain);
            markComplete();
            return new Traffic();
        }
    }
}
