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
import io.tlsaccel.tls.message.ExtensionType;
import io.tlsaccel.tls.message.Extensions;
import io.tlsaccel.tls.message.Finished;
import io.tlsaccel.tls.message.HandshakeType;
import io.tlsaccel.tls.message.KeyShareEntry;
import io.tlsaccel.tls.message.ServerHello;
import io.tlsaccel.tls.message.TlsAlertException;
import io.tlsaccel.tls.message.TlsReader;
import io.tlsaccel.tls.record.Tls13CipherSuite;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The TLS 1.3 server (RFC 8446 2, 4), certificate-authenticated, no PSK:
 * processClientHello (maybe HelloRetryRequest), sendServerParameters, sendServerCertificate,
 * sendServerFinished, [readClientCertificate, readClientCertificateVerify], readClientFinished.
 */
public final class Tls13ServerHandshake extends Tls13Handshake {
    private boolean retried;
    private NamedGroup retryGroup;
    private Tls13CipherSuite retrySuite;
    private boolean ccsSent;
    private boolean certificateRequested;
    private int[] requestedSchemes;
    private X509Certificate[] clientChain;

    public Tls13ServerHandshake(HandshakeContext ctx) {
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

    private static TlsAlertException missing(String what) {
        return new TlsAlertException(AlertDescription.MISSING_EXTENSION, "ClientHello without " + what);
    }

    private final class ExpectClientHello implements State {
        @Override
        public State handle(int type, byte[] message, TlsReader body) throws TlsAlertException {
            if (type != HandshakeType.CLIENT_HELLO) {
                throw unexpected(type);
            }
            return processClientHello(ClientHello.decode(body), message);
        }
    }

    private State processClientHello(ClientHello ch, byte[] message) throws TlsAlertException {
        // 4.2.1: without supported_versions this is a TLS 1.2-or-older ClientHello; we only speak 1.3.
        byte[] sv = ch.extension(ExtensionType.SUPPORTED_VERSIONS);
        if ((sv == null || !contains(Extensions.parseSupportedVersionsClient(sv), TLS13)) && config.tls12() && !retried) {
            // No TLS 1.3 offered: TLS 1.2 takes over this handshake.
            Tls12ServerHandshake next = new Tls12ServerHandshake(ctx);
            ctx.switchTo(next);
            next.takeOver(ch, message);
            return null;
        }
        if (sv == null || !contains(Extensions.parseSupportedVersionsClient(sv), TLS13)) {
            throw new TlsAlertException(AlertDescription.PROTOCOL_VERSION, "client does not offer TLS 1.3");
        }
        // 4.1.2: legacy_compression_methods must be exactly one null byte.
        if (ch.legacyCompressionMethods().length != 1 || ch.legacyCompressionMethods()[0] != 0) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "compression methods other than null");
        }
        Tls13CipherSuite chosen = chooseSuite(ch.cipherSuites());
        if (retried && chosen != retrySuite) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "second ClientHello changed the cipher suites");
        }

        // 9.2: certificate authentication needs signature_algorithms; (EC)DHE needs both
        // supported_groups and key_share.
        byte[] sa = ch.extension(ExtensionType.SIGNATURE_ALGORITHMS);
        if (sa == null) {
            throw missing("signature_algorithms");
        }
        int[] clientSchemes = Extensions.parseU16List(sa);
        byte[] sg = ch.extension(ExtensionType.SUPPORTED_GROUPS);
        byte[] ks = ch.extension(ExtensionType.KEY_SHARE);
        if (sg == null) {
            throw missing("supported_groups");
        }
        if (ks == null) {
            throw missing("key_share");
        }
        int[] clientGroups = Extensions.parseU16List(sg);
        List<KeyShareEntry> shares = Extensions.parseKeyShareClient(ks);
        int prev = -1;
        for (KeyShareEntry e : shares) {
            // 4.2.8: shares must be in supported_groups order; we check and reject violations.
            int idx = indexOf(clientGroups, e.group());
            if (idx < 0 || idx <= prev) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "key_share does not follow supported_groups");
            }
            prev = idx;
        }
        if (ch.extension(ExtensionType.PRE_SHARED_KEY) != null) {
            // 4.2.11: pre_shared_key must be last; we never accept PSKs, so it is just checked.
            if (ch.extensions().get(ch.extensions().size() - 1).type() != ExtensionType.PRE_SHARED_KEY) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "pre_shared_key is not the last extension");
            }
            byte[] modes = ch.extension(ExtensionType.PSK_KEY_EXCHANGE_MODES);
            if (modes == null) {
                throw missing("psk_key_exchange_modes");
            }
            Extensions.parsePskKeyExchangeModes(modes);
        }

        // Group: first of our groups the client sent a share for; else the first mutual group (HRR).
        KeyShareEntry share = null;
        for (NamedGroup g : config.groups()) {
            for (KeyShareEntry e : shares) {
                if (e.group() == g.id()) {
                    share = e;
                    break;
                }
            }
            if (share != null) {
                break;
            }
        }
        if (retried) {
            // 4.1.4/4.2.8: the second ClientHello must carry exactly one share, for the group we asked for.
            if (shares.size() != 1 || shares.get(0).group() != retryGroup.id()) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "second ClientHello lacks the requested key share");
            }
            share = shares.get(0);
        }
        if (share == null) {
            NamedGroup mutual = null;
            for (NamedGroup g : config.groups()) {
                if (contains(clientGroups, g.id())) {
                    mutual = g;
                    break;
                }
            }
            if (mutual == null) {
                throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "no key exchange group in common");
            }
            return helloRetryRequest(ch, chosen, mutual, message);
        }
        NamedGroup group = NamedGroup.of(share.group());
        ctx.trace("client offered a " + group.jdkName() + " key share");

        // SNI (RFC 6066 3) and the user's SNI matchers; ALPN (RFC 7301 3.2).
        boolean sniAccepted = ServerHelloExtensions.acceptServerName(ctx, ch);
        String protocol = ServerHelloExtensions.chooseApplicationProtocol(ctx, ch);
        ctx.applicationProtocol(protocol == null ? "" : protocol);
        byte[] saCert = ch.extension(ExtensionType.SIGNATURE_ALGORITHMS_CERT);
        ctx.peerSignatureSchemes(union(clientSchemes, saCert == null ? new int[0] : Extensions.parseU16List(saCert)));

        // Credentials, before anything is sent, so a missing certificate fails cleanly.
        Credentials cred = chooseCredentials(clientSchemes);

        // ---- ServerHello ----
        suite = chosen;
        ctx.negotiated(suite);
        schedule = new KeySchedule(suite);
        transcript.selectHash(suite);
        transcript.update(message);
        KeyPair kp = group.generate(ctx.random());
        PublicKey peer = group.decodePublic(share.keyExchange());
        byte[] shared = group.agree(kp.getPrivate(), peer);
        byte[] random = new byte[32];
        ctx.random().nextBytes(random);
        List<Extension> shExt = List.of(Extensions.supportedVersionsServer(TLS13),
                Extensions.keyShareServer(new KeyShareEntry(group.id(), group.encodePublic(kp.getPublic()))));
        send(new ServerHello(LEGACY_VERSION, random, ch.legacySessionId(), suite.id(), 0, shExt).encode());
        if (ch.legacySessionId().length > 0 && !ccsSent) {
            // D.4: compatibility CCS right after our first handshake message.
            ctx.sendChangeCipherSpec();
            ccsSent = true;
        }
        KeySchedule.TrafficSecrets hs = schedule.deriveHandshakeSecrets(shared, transcript.current());
        wipe(shared);
        clientHandshakeSecret = hs.client();
        serverHandshakeSecret = hs.server();
        installWrite(serverHandshakeSecret, false);
        installRead(clientHandshakeSecret, false);
        if (ch.extension(ExtensionType.EARLY_DATA) != null && !retried) {
            // 4.2.10: early data is rejected by omitting early_data from EncryptedExtensions.
            ctx.skipEarlyData();
        }

        // ---- EncryptedExtensions ----
        List<Extension> ee = new ArrayList<>();
        if (sniAccepted) {
            ee.add(new Extension(ExtensionType.SERVER_NAME, new byte[0]));
        }
        if (protocol != null) {
            ee.add(Extensions.alpn(List.of(protocol)));
        }
        send(new EncryptedExtensions(ee).encode());

        // ---- CertificateRequest ----
        if (config.needClientAuth() || config.wantClientAuth()) {
            certificateRequested = true;
            requestedSchemes = SignatureScheme.handshakeIds();
            ctx.localSignatureSchemes(requestedSchemes);
            send(new CertificateRequest(new byte[0], List.of(
                    Extensions.u16List(ExtensionType.SIGNATURE_ALGORITHMS, requestedSchemes),
                    Extensions.u16List(ExtensionType.SIGNATURE_ALGORITHMS_CERT, SignatureScheme.certificateIds())))
                    .encode());
        }

        // ---- Certificate, CertificateVerify ----
        send(new CertificateMessage(new byte[0], cred.encodedChain()).encode());
        ctx.localCertificates(cred.chain());
        byte[] content = certificateVerifyContent(true, transcript.current());
        send(new CertificateVerify(cred.scheme().id(), cred.sign(content, ctx.random(), "CertificateVerify")).encode());

        // ---- Finished ----
        byte[] verify = schedule.finishedVerifyData(serverHandshakeSecret, transcript.current());
        send(new Finished(verify).encode());
        KeySchedule.TrafficSecrets app = schedule.deriveApplicationSecrets(transcript.current());
        clientApplicationSecret = app.client();
        serverApplicationSecret = app.server();
        installWrite(serverApplicationSecret, true);
        return certificateRequested ? new ExpectClientCertificate() : new ExpectClientFinished();
    }

    private State helloRetryRequest(ClientHello ch, Tls13CipherSuite chosen, NamedGroup group, byte[] message) throws TlsAlertException {
        if (retried) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "second ClientHello still needs a retry");
        }
        retried = true;
        retryGroup = group;
        retrySuite = chosen;
        transcript.update(message);
        transcript.replaceWithMessageHash(chosen);
        List<Extension> ext = List.of(Extensions.supportedVersionsServer(TLS13), Extensions.keyShareHelloRetry(group.id()));
        send(new ServerHello(LEGACY_VERSION, io.tlsaccel.tls.message.ServerHello.HELLO_RETRY_REQUEST_RANDOM.clone(),
                ch.legacySessionId(), chosen.id(), 0, ext).encode());
        if (ch.legacySessionId().length > 0) {
            ctx.sendChangeCipherSpec();
            ccsSent = true;
        }
        return new ExpectClientHello();
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

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    /** pickCertificate: per key type in the client's preference order, ask the key manager. */
    private Credentials chooseCredentials(int[] clientSchemes) throws TlsAlertException {
        Credentials.serverKeyManager(ctx);
        Set<String> types = Credentials.handshakeKeyTypes(clientSchemes);
        for (String type : types) {
            Credentials base = Credentials.forServer(ctx, type);
            Credentials chosen = base == null ? null : base.withFirstScheme(clientSchemes,
                    s -> s.usableInHandshake() && s.matches(base.key()) && s.matches(base.leafKey()));
            if (chosen != null) {
                return chosen;
            }
        }
        throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "no certificate matches the client's signature algorithms");
    }

    private final class ExpectClientCertificate implements State {
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
                return new ExpectClientFinished();
            }
            clientChain = PeerCertificates.receive(ctx, cm.certificates(), false, leaf -> {
                String alg = leaf.getPublicKey().getAlgorithm();
                return switch (alg) {
                    case "RSA", "DSA", "EC", "RSASSA-PSS" -> alg;
                    default -> "UNKNOWN";
                };
            });
            updateTranscript(message);
            return new ExpectClientCertificateVerify();
        }
    }

    private final class ExpectClientCertificateVerify implements State {
        @Override
        public State handle(int type, byte[] message, TlsReader body) throws TlsAlertException {
            if (type != HandshakeType.CERTIFICATE_VERIFY) {
                throw unexpected(type);
            }
            verifyPeerCertificateVerify(body, clientChain[0].getPublicKey(), requestedSchemes);
            updateTranscript(message);
            return new ExpectClientFinished();
        }
    }

    private final class ExpectClientFinished implements State {
        @Override
        public State handle(int type, byte[] message, TlsReader body) throws TlsAlertException {
            if (type != HandshakeType.FINISHED) {
                throw unexpected(type);
            }
            verifyPeerFinished(body, clientHandshakeSecret);
            updateTranscript(message);
            installRead(clientApplicationSecret, true);
            markComplete();
            return traffic();
        }
    }
}
