package io.tlsaccel.tls.handshake;

import static io.tlsaccel.tls.handshake.HandshakeSupport.contains;
import static io.tlsaccel.tls.handshake.HandshakeSupport.unexpected;
import static io.tlsaccel.tls.handshake.HandshakeSupport.union;
import static io.tlsaccel.tls.handshake.HandshakeSupport.wipe;

import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.CertificateVerify;
import io.tlsaccel.tls.message.ClientHello;
import io.tlsaccel.tls.message.EcdheClientKeyExchange;
import io.tlsaccel.tls.message.EcdheServerKeyExchange;
import io.tlsaccel.tls.message.ExtendedMasterSecret;
import io.tlsaccel.tls.message.Extension;
import io.tlsaccel.tls.message.ExtensionType;
import io.tlsaccel.tls.message.Extensions;
import io.tlsaccel.tls.message.HandshakeType;
import io.tlsaccel.tls.message.RenegotiationInfo;
import io.tlsaccel.tls.message.RsaClientKeyExchange;
import io.tlsaccel.tls.message.ServerHello;
import io.tlsaccel.tls.message.ServerHelloDone;
import io.tlsaccel.tls.message.SignalingCipherSuite;
import io.tlsaccel.tls.message.Tls12Certificate;
import io.tlsaccel.tls.message.Tls12CertificateRequest;
import io.tlsaccel.tls.message.TlsAlertException;
import io.tlsaccel.tls.message.TlsReader;
import io.tlsaccel.tls.message.Tls12NewSessionTicket;
import io.tlsaccel.tls.record.Tls12CipherSuite;
import io.tlsaccel.tls.session.ResumptionState;
import io.tlsaccel.tls.ticket.TicketKeys;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The TLS 1.2 server (RFC 5246 7.3), certificate-authenticated, or resuming a session it
 * cached or sealed into a ticket (the abbreviated handshake of 7.3, RFC 5077):
 * processClientHello, sendServerFlight (ServerHello, Certificate, [ServerKeyExchange],
 * [CertificateRequest], ServerHelloDone), [readClientCertificate], readClientKeyExchange,
 * [readClientCertificateVerify], the client's ChangeCipherSpec and Finished, then ours.
 * Either started on its own (TLS 1.2 only) or handed the ClientHello by
 * {@link Tls13ServerHandshake} when the client did not offer TLS 1.3.
 */
public final class Tls12ServerHandshake extends Tls12Handshake {

    /** The states of the server, each holding what its step needs. */
    sealed interface ServerState extends State
            permits ExpectClientHello, ExpectClientCertificate, ExpectClientKeyExchange, ExpectClientCertificateVerify,
            ExpectClientFinished {
    }

    /** What the suite choice settled: our credentials (with the scheme for ServerKeyExchange) and, for ECDHE, the group. */
    private record Choice(Credentials credentials, NamedGroup group) {
    }

    /**
     * What our flight left for the client's: the ClientHello (its version binds the RSA
     * pre-master secret), our credentials, our ephemeral key pair (ECDHE) and the schemes a
     * CertificateRequest asked for (null if none was sent).
     */
    private record Flight(ClientHello clientHello, Credentials credentials, NamedGroup group, KeyPair ephemeral,
                          int[] requestedSchemes, Resumable resumable) {
    }

    /**
     * How the session of a full handshake is kept for later ones: the server name it must be
     * resumed under, and whether the client asked for a ticket (RFC 5077 3.2) we can seal.
     */
    private record Resumable(String serverName, boolean ticketWanted) {
    }

    public Tls12ServerHandshake(HandshakeContext ctx) {
        super(ctx);
    }

    @Override
    protected boolean isClient() {
        return false;
    }

    @Override
    public void start() {
        state = new ExpectClientHello();
    }

    final class ExpectClientHello implements ServerState {
        @Override
        public State handle(int type, byte[] message, TlsReader body) throws TlsAlertException {
            if (type != HandshakeType.CLIENT_HELLO) {
                throw unexpected(type);
            }
            return processClientHello(ClientHello.decode(body), message);
        }
    }

    /** The highest version a ClientHello offers (RFC 8446 4.2.1, else legacy_version). */
    static int highestOffered(ClientHello ch) throws TlsAlertException {
        byte[] sv = ch.extension(ExtensionType.SUPPORTED_VERSIONS);
        if (sv == null) {
            return ch.legacyVersion();
        }
        int best = 0;
        for (int v : Extensions.parseSupportedVersionsClient(sv)) {
            if ((v >>> 8) == 3 && v > best) {
                best = v;
            }
        }
        return best;
    }

    /** Whether a ClientHello offers TLS 1.2. */
    static boolean offersTls12(ClientHello ch) throws TlsAlertException {
        byte[] sv = ch.extension(ExtensionType.SUPPORTED_VERSIONS);
        if (sv == null) {
            return ch.legacyVersion() >= TLS12;
        }
        return contains(Extensions.parseSupportedVersionsClient(sv), TLS12);
    }

    /** Continues from a ClientHello without TLS 1.3 that {@link Tls13ServerHandshake} received. */
    void takeOver(ClientHello ch, byte[] message) throws TlsAlertException {
        state = processClientHello(ch, message);
    }

    private State processClientHello(ClientHello ch, byte[] message) throws TlsAlertException {
        if (!offersTls12(ch)) {
            // RFC 5246 E.1: nothing below TLS 1.2.
            throw new TlsAlertException(AlertDescription.PROTOCOL_VERSION, "client offers neither TLS 1.3 nor TLS 1.2");
        }
        if (contains(ch.cipherSuites(), SignalingCipherSuite.TLS_FALLBACK_SCSV) && config.tls13() && highestOffered(ch) < Tls13Handshake.TLS13) {
            // RFC 7507 3: the client fell back although we support a higher version.
            throw new TlsAlertException(AlertDescription.INAPPROPRIATE_FALLBACK, "SignalingCipherSuite.TLS_FALLBACK_SCSV while we support TLS 1.3");
        }
        boolean nullCompression = false;
        for (byte b : ch.legacyCompressionMethods()) {
            nullCompression |= b == 0;
        }
        if (!nullCompression) {
            // RFC 5246 7.4.1.2: the list must contain null.
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "compression methods without null");
        }

        // RFC 5746 3.6: renegotiation_info (empty on an initial handshake) or the SCSV.
        byte[] ri = ch.extension(ExtensionType.RENEGOTIATION_INFO);
        if (ri != null) {
            RenegotiationInfo.checkInitial(ri);
        } else if (!contains(ch.cipherSuites(), SignalingCipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV)) {
            // RFC 5746 4.3 lets a server refuse clients without secure renegotiation; we do.
            throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "client does not support secure renegotiation (RFC 5746)");
        }
        byte[] emsData = ch.extension(ExtensionType.EXTENDED_MASTER_SECRET);
        if (emsData != null) {
            ExtendedMasterSecret.decode(emsData);
        } else if (extendedMasterSecretRequired()) {
            // RFC 7627 5.3: a server requiring the extension aborts.
            throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "client did not offer extended_master_secret");
        }
        extendedMasterSecret = emsData != null;
        byte[] pf = ch.extension(ExtensionType.EC_POINT_FORMATS);
        if (pf != null) {
            checkPointFormats(pf, "client");
        }
        byte[] sa = ch.extension(ExtensionType.SIGNATURE_ALGORITHMS);
        // RFC 5246 7.4.1.4.1: without the extension only SHA-1 pairs are implied, which we never use.
        int[] clientSchemes = sa == null ? new int[0] : Extensions.parseU16List(sa);
        // What the session reports as the peer's algorithms: signature_algorithms plus
        // signature_algorithms_cert (RFC 8446 4.2.3, which TLS 1.2 clients may send too).
        byte[] saCert = ch.extension(ExtensionType.SIGNATURE_ALGORITHMS_CERT);
        int[] certSchemes = saCert == null ? new int[0] : Extensions.parseU16List(saCert);
        ctx.peerSignatureSchemes(union(clientSchemes, certSchemes));
        byte[] sg = ch.extension(ExtensionType.SUPPORTED_GROUPS);
        int[] clientGroups = sg == null ? new int[0] : Extensions.parseU16List(sg);
        // RFC 8422 5.1.1 / 4: the server's preference among the client's groups.
        NamedGroup mutual = null;
        for (NamedGroup g : config.groups()) {
            if (!g.hybrid() && contains(clientGroups, g.id())) { // the hybrids are TLS 1.3 only
                mutual = g;
                break;
            }
        }

        // SNI (RFC 6066 3) is recorded before the certificate is chosen, so a key manager with
        // several identities can pick by it (as TLS 1.3 does).
        boolean sniAccepted = ServerHelloExtensions.acceptServerName(ctx, ch);
        String serverName = ServerHelloExtensions.requestedHostName(ch);
        byte[] ticketExtension = ch.extension(ExtensionType.SESSION_TICKET);
        Resumable resumable = new Resumable(serverName,
                ticketExtension != null && ctx.ticketCount() > 0 && ctx.ticketKeys() != null);
        ResumptionState session = findSession(ch, ticketExtension, serverName);
        if (session != null) {
            return resume(ch, message, session, resumable);
        }
        Choice choice = chooseSuite(ch.cipherSuites(), clientSchemes, mutual);
        clientRandom = ch.random().clone();
        ctx.trace("TLS 1.2 negotiated with " + suite.name());

        String protocol = ServerHelloExtensions.chooseApplicationProtocol(ctx, ch);
        ctx.applicationProtocol(protocol == null ? "" : protocol);

        updateTranscript(message);
        Flight flight = sendServerFlight(ch, choice, sniAccepted, protocol, pf != null, resumable);
        return flight.requestedSchemes() != null ? new ExpectClientCertificate(flight) : new ExpectClientKeyExchange(flight, null);
    }

    /**
     * The first suite (ours or the client's order, per SSLParameters) we can complete: a
     * certificate of the suite's key type from the key manager and, for ECDHE, a mutual group
     * and a signature algorithm the client accepts for that key (RFC 5246 7.4.2, 7.4.3).
     */
    private Choice chooseSuite(int[] offered, int[] clientSchemes, NamedGroup mutual) throws TlsAlertException {
        List<Tls12CipherSuite> candidates = new ArrayList<>();
        if (config.useCipherSuitesOrder()) {
            for (Tls12CipherSuite s : config.suites12()) {
                if (contains(offered, s.id())) {
                    candidates.add(s);
                }
            }
        } else {
            for (int id : offered) {
                Tls12CipherSuite s = Tls12CipherSuite.of(id);
                if (s != null && config.suites12().contains(s)) {
                    candidates.add(s);
                }
            }
        }
        Credentials.serverKeyManager(ctx);
        Map<String, Optional<Credentials>> byType = new HashMap<>();
        for (Tls12CipherSuite s : candidates) {
            if (s.keyExchange().ephemeral() && mutual == null) {
                continue;
            }
            String type = s.keyExchange().keyType();
            if (!byType.containsKey(type)) {
                byType.put(type, Optional.ofNullable(Credentials.forServer(ctx, type)));
            }
            Credentials base = byType.get(type).orElse(null);
            if (base == null || !type.equals(SignatureScheme.keyTypeOf(base.leafKey()))) {
                continue;
            }
            Credentials chosen = base;
            if (s.keyExchange().ephemeral()) {
                chosen = base.withFirstScheme(config.permittedHandshakeSchemes(clientSchemes),
                        c -> c.matchesTls12(base.key()) && c.matchesTls12(base.leafKey()));
                if (chosen == null) {
                    continue;
                }
            }
            selectSuite(s);
            return new Choice(chosen, s.keyExchange().ephemeral() ? mutual : null);
        }
        throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "no TLS 1.2 cipher suite in common");
    }

    // ---- resumption (RFC 5246 7.3, RFC 5077, RFC 7627 5.3) ----

    /**
     * The session the client asks to resume, if we may: from its ticket (RFC 5077 3.4) or
     * else its session ID, with the extended master secret now as then, a suite it offers and
     * we enable, the same server name, not expired, not invalidated. Anything else: null, and
     * a full handshake.
     */
    private ResumptionState findSession(ClientHello ch, byte[] ticketExtension, String serverName) throws TlsAlertException {
        if (!extendedMasterSecret) {
            return null; // RFC 7627 5.3: no abbreviated handshake without the extension
        }
        ResumptionState st = null;
        TicketKeys keys = ctx.ticketKeys();
        if (ticketExtension != null && ticketExtension.length > 0 && keys != null) {
            byte[] plain = keys.open(ticketExtension);
            if (plain != null) {
                try {
                    st = ResumptionState.decode(plain);
                } catch (TlsAlertException notOurs) {
                    st = null;
                } finally {
                    wipe(plain);
                }
            }
        }
        if (st == null && ch.legacySessionId().length > 0) {
            st = ctx.cachedSession(ch.legacySessionId());
        }
        if (st == null) {
            return null;
        }
        Tls12CipherSuite s = Tls12CipherSuite.of(st.suite());
        boolean ok = st.version() == TLS12 && s != null && config.suites12().contains(s) && contains(ch.cipherSuites(), s.id())
                && st.sameServerName(serverName) && !st.expired(System.currentTimeMillis()) && !ctx.invalidated(st.sessionId());
        return ok ? st : null;
    }

    /**
     * The abbreviated handshake (7.3): ServerHello echoing the client's session ID (RFC 5077
     * 3.4 for tickets), [NewSessionTicket], ChangeCipherSpec, Finished; then the client's.
     * RFC 6066 3: no server_name in a resumed ServerHello.
     */
    private State resume(ClientHello ch, byte[] message, ResumptionState session, Resumable resumable)
            throws TlsAlertException {
        selectSuite(Tls12CipherSuite.of(session.suite()));
        clientRandom = ch.random().clone();
        String protocol = ServerHelloExtensions.chooseApplicationProtocol(ctx, ch);
        ctx.applicationProtocol(protocol == null ? "" : protocol);
        updateTranscript(message);
        newServerRandom();
        List<Extension> ext = new ArrayList<>(List.of(RenegotiationInfo.initial(), ExtendedMasterSecret.extension()));
        if (resumable.ticketWanted()) {
            ext.add(new Extension(ExtensionType.SESSION_TICKET, new byte[0]));
        }
        if (protocol != null) {
            ext.add(Extensions.alpn(List.of(protocol)));
        }
        send(new ServerHello(TLS12, serverRandom.clone(), ch.legacySessionId(), suite.id(), 0, ext).encode());
        resumeMasterSecret(session.secret());
        X509Certificate[] clientChain = PeerCertificates.parseOrNull(session.peerCertificates());
        ctx.resumed(session.sessionId(), clientChain);
        session.destroy();
        if (resumable.ticketWanted()) {
            sendTicket(resumable, clientChain);
        }
        sendChangeCipherSpecAndSwitch();
        sendFinished();
        return new ExpectChangeCipherSpec(new ExpectClientFinished(null, null));
    }

    /** Caches a full handshake's session under its ID; NewSessionTicket (RFC 5077 3.3) first if the client wants one. */
    private void keepSession(Resumable resumable, X509Certificate[] clientChain) throws TlsAlertException {
        if (resumable.ticketWanted()) {
            sendTicket(resumable, clientChain);
        }
        ResumptionState st = resumptionState(ctx.ticketLifetimeSeconds(), resumable.serverName(), ctx.sessionId(),
                PeerCertificates.encode(clientChain));
        if (st != null) {
            ctx.cacheSession(ctx.sessionId(), st);
        }
    }

    private void sendTicket(Resumable resumable, X509Certificate[] clientChain) throws TlsAlertException {
        long lifetime = ctx.ticketLifetimeSeconds();
        ResumptionState st = resumptionState(lifetime, resumable.serverName(), ctx.sessionId(), PeerCertificates.encode(clientChain));
        byte[] ticket = new byte[0]; // RFC 5077 3.3: an empty ticket when we would not resume this session
        if (st != null) {
            byte[] plain = st.encode();
            ticket = ctx.ticketKeys().seal(plain);
            wipe(plain);
            st.destroy();
        }
        send(new Tls12NewSessionTicket(lifetime, ticket).encode());
        ctx.trace("sent a session ticket (lifetime " + lifetime + " s)");
    }

    private void newServerRandom() {
        serverRandom = new byte[32];
        ctx.random().nextBytes(serverRandom);
        if (config.tls13()) {
            // RFC 8446 4.1.3: a TLS 1.3 server negotiating TLS 1.2 says so in its random.
            DowngradeSentinel.markTls12(serverRandom);
        }
    }

    private Flight sendServerFlight(ClientHello ch, Choice choice, boolean sniAccepted, String protocol, boolean pointFormats,
                                    Resumable resumable) throws TlsAlertException {
        NamedGroup group = choice.group();
        Credentials credentials = choice.credentials();
        // ---- ServerHello (7.4.1.3) ----
        newServerRandom();
        List<Extension> ext = new ArrayList<>();
        ext.add(RenegotiationInfo.initial());
        if (extendedMasterSecret) {
            ext.add(ExtendedMasterSecret.extension());
        }
        if (resumable.ticketWanted()) {
            ext.add(new Extension(ExtensionType.SESSION_TICKET, new byte[0]));
        }
        if (group != null && pointFormats) {
            ext.add(new Extension(ExtensionType.EC_POINT_FORMATS, new byte[] {1, 0}));
        }
        if (sniAccepted) {
            ext.add(new Extension(ExtensionType.SERVER_NAME, new byte[0]));
        }
        if (protocol != null) {
            ext.add(Extensions.alpn(List.of(protocol)));
        }
        // 7.4.1.3: the session's ID if it may be resumed (RFC 7627 5.3: with the extended master secret), else empty.
        byte[] sessionId = extendedMasterSecret ? ctx.sessionId() : new byte[0];
        send(new ServerHello(TLS12, serverRandom.clone(), sessionId, suite.id(), 0, ext).encode());

        // ---- Certificate (7.4.2) ----
        send(credentials.certificateMessage12());
        ctx.localCertificates(credentials.chain());

        // ---- ServerKeyExchange (7.4.3, RFC 8422 5.4) ----
        KeyPair ephemeral = null;
        if (group != null) {
            ephemeral = group.generate(ctx.random());
            byte[] point = group.encodePublic(ephemeral.getPublic());
            byte[] params = EcdheServerKeyExchange.encodeParams(group.id(), point);
            SignatureScheme scheme = credentials.scheme();
            byte[] sig = credentials.sign(EcdheServerKeyExchange.signedParams(clientRandom, serverRandom, params),
                    ctx.random(), "ServerKeyExchange");
            send(new EcdheServerKeyExchange(group.id(), point, scheme.id(), sig).encode());
            ctx.trace("key exchange " + group.jdkName() + ", parameters signed with " + scheme.rfcName());
        }

        // ---- CertificateRequest (7.4.4) ----
        int[] requestedSchemes = null;
        if (config.needClientAuth() || config.wantClientAuth()) {
            requestedSchemes = config.tls12Schemes("jdk.tls.server.SignatureSchemes");
            List<byte[]> authorities = new ArrayList<>();
            for (X509Certificate ca : ctx.trustManager().getAcceptedIssuers()) {
                authorities.add(ca.getSubjectX500Principal().getEncoded());
            }
            send(new Tls12CertificateRequest(new int[] {Tls12CertificateRequest.ECDSA_SIGN, Tls12CertificateRequest.RSA_SIGN},
                    requestedSchemes, authorities).encode());
        }

        // ---- ServerHelloDone (7.4.5) ----
        send(ServerHelloDone.encode());
        return new Flight(ch, credentials, group, ephemeral, requestedSchemes, resumable);
    }

    final class ExpectClientCertificate implements ServerState {
        private final Flight flight;

        ExpectClientCertificate(Flight flight) {
            this.flight = flight;
        }

        @Override
        public State handle(int type, byte[] message, TlsReader body) throws TlsAlertException {
            if (type != HandshakeType.CERTIFICATE) {
                throw unexpected(type);
            }
            Tls12Certificate cm = Tls12Certificate.decode(body);
            if (cm.certificates().isEmpty()) {
                if (config.needClientAuth()) {
                    // RFC 5246 7.4.6: the server may abort with handshake_failure.
                    throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "client sent no certificate");
                }
                updateTranscript(message);
                return new ExpectClientKeyExchange(flight, null);
            }
            X509Certificate[] clientChain = PeerCertificates.receive(ctx, cm.certificates(), false, leaf -> {
                String keyType = SignatureScheme.keyTypeOf(leaf.getPublicKey());
                if (!"EC".equals(keyType) && !"RSA".equals(keyType)) {
                    // 7.4.6: only the types we asked for (ecdsa_sign, rsa_sign).
                    throw new TlsAlertException(AlertDescription.UNSUPPORTED_CERTIFICATE, "client certificate key type " + keyType);
                }
                return keyType;
            });
            updateTranscript(message);
            return new ExpectClientKeyExchange(flight, clientChain);
        }
    }

    final class ExpectClientKeyExchange implements ServerState {
        private final Flight flight;
        /** The client's certificate chain, or null if it sent none (then no CertificateVerify follows). */
        private final X509Certificate[] clientChain;

        ExpectClientKeyExchange(Flight flight, X509Certificate[] clientChain) {
            this.flight = flight;
            this.clientChain = clientChain;
        }

        @Override
        public State handle(int type, byte[] message, TlsReader body) throws TlsAlertException {
            if (type != HandshakeType.CLIENT_KEY_EXCHANGE) {
                throw unexpected(type);
            }
            byte[] preMaster;
            NamedGroup group = flight.group();
            if (group != null) {
                EcdheClientKeyExchange cke = EcdheClientKeyExchange.decode(body);
                PublicKey peer = group.decodePublic(cke.publicPoint());
                preMaster = group.agree(flight.ephemeral().getPrivate(), peer);
            } else {
                RsaClientKeyExchange cke = RsaClientKeyExchange.decode(body);
                Tls12Prf.Secret pms;
                try {
                    // 7.4.7.1: never an alert here; a bad ciphertext yields a random pre-master
                    // secret and so a Finished that does not verify.
                    pms = RsaPremasterSecret.decrypt(flight.credentials().key(), cke.encryptedPreMasterSecret(),
                            flight.clientHello().legacyVersion(), ctx.random());
                } catch (InvalidKeyException | IllegalArgumentException e) {
                    throw new TlsAlertException(AlertDescription.INTERNAL_ERROR, "cannot use our RSA key", e);
                }
                preMaster = pms.copy();
                pms.destroy();
                ctx.trace("pre-master secret received encrypted to our RSA key");
            }
            updateTranscript(message);
            deriveMasterSecret(preMaster);
            State afterVerify = new ExpectChangeCipherSpec(new ExpectClientFinished(flight.resumable(), clientChain));
            return clientChain != null
                    ? new ExpectClientCertificateVerify(flight.requestedSchemes(), clientChain, afterVerify) : afterVerify;
        }
    }

    final class ExpectClientCertificateVerify implements ServerState {
        private final int[] requestedSchemes;
        private final X509Certificate[] clientChain;
        private final State next;

        ExpectClientCertificateVerify(int[] requestedSchemes, X509Certificate[] clientChain, State next) {
            this.requestedSchemes = requestedSchemes;
            this.clientChain = clientChain;
            this.next = next;
        }

        @Override
        public State handle(int type, byte[] message, TlsReader body) throws TlsAlertException {
            if (type != HandshakeType.CERTIFICATE_VERIFY) {
                throw unexpected(type);
            }
            CertificateVerify cv = CertificateVerify.decode(body);
            // 7.4.8: one of the algorithms we listed in CertificateRequest, fitting the key.
            PeerCertificates.verifySignature(ctx, cv.algorithm(), requestedSchemes, clientChain[0].getPublicKey(), false,
                    transcriptBytes(), cv.signature(), "client CertificateVerify", "client signature");
            updateTranscript(message);
            return next;
        }
    }

    /** The client's Finished; after a full handshake ({@code resumable} set) our NewSessionTicket, ChangeCipherSpec and Finished follow. */
    final class ExpectClientFinished implements ServerState {
        private final Resumable resumable;
        private final X509Certificate[] clientChain;

        ExpectClientFinished(Resumable resumable, X509Certificate[] clientChain) {
            this.resumable = resumable;
            this.clientChain = clientChain;
        }

        @Override
        public State handle(int type, byte[] message, TlsReader body) throws TlsAlertException {
            if (type != HandshakeType.FINISHED) {
                throw unexpected(type);
            }
            checkFinished(message, body);
            if (resumable != null) {
                keepSession(resumable, clientChain);
                sendChangeCipherSpecAndSwitch();
                sendFinished();
            }
            markComplete();
            return new Traffic();
        }
    }
}
