package io.tlsaccel.tls.engine;

import io.tlsaccel.testutil.EnginePair;
import io.tlsaccel.tls.message.HandshakeType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;

/**
 * Writes the seed corpus of {@code MessageDecoderFuzzTest} from real handshakes between our
 * engines: TLS 1.3 and 1.2, with and without client authentication, with a HelloRetryRequest,
 * and resumed (PSK, tickets). Each seed is one message body followed by the byte that picks its
 * decoder (Jazzer's FuzzedDataProvider takes that from the end). Run by hand when the decoders
 * change:
 *
 * <pre>java -cp TEST_CLASSPATH io.tlsaccel.tls.engine.FuzzSeedWriter java/src/test/resources</pre>
 */
public final class FuzzSeedWriter {
    /** Decoder index in MessageDecoderFuzzTest.DECODERS by handshake type, for each version. */
    private static final Map<Integer, Integer> TLS13 = Map.of(HandshakeType.CLIENT_HELLO, 0, HandshakeType.SERVER_HELLO, 1,
            HandshakeType.ENCRYPTED_EXTENSIONS, 2, HandshakeType.CERTIFICATE, 3, HandshakeType.CERTIFICATE_REQUEST, 4,
            HandshakeType.CERTIFICATE_VERIFY, 5, HandshakeType.FINISHED, 6, HandshakeType.NEW_SESSION_TICKET, 7);
    private static final Map<Integer, Integer> TLS12 = Map.of(HandshakeType.CLIENT_HELLO, 0, HandshakeType.SERVER_HELLO, 1,
            HandshakeType.CERTIFICATE, 9, HandshakeType.CERTIFICATE_REQUEST, 10, HandshakeType.NEW_SESSION_TICKET, 11,
            12, 12, HandshakeType.CERTIFICATE_VERIFY, 5, 16, 13);

    private FuzzSeedWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0], "io", "tlsaccel", "fuzz", "MessageDecoderFuzzTestInputs", "decodersOnlyAlert");
        Files.createDirectories(dir);
        List<byte[]> seeds = new ArrayList<>();
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            for (boolean clientAuth : new boolean[] {false, true}) {
                var serverCtx = ResumptionTest.server(true);
                var clientCtx = ResumptionTest.client(true, clientAuth);
                for (int connection = 0; connection < 2; connection++) { // the second one resumes
                    seeds.addAll(handshake(clientCtx, serverCtx, protocol, clientAuth, false));
                }
            }
        }
        seeds.addAll(handshake(ResumptionTest.client(true, false), ResumptionTest.server(true), "TLSv1.3", false, true));
        int n = 0;
        for (byte[] seed : seeds) {
            Files.write(dir.resolve(String.format("seed-%03d", n++)), seed);
        }
        System.out.println(n + " seeds in " + dir);
    }

    /** Every handshake message both sides sent, as seeds. */
    private static List<byte[]> handshake(javax.net.ssl.SSLContext clientCtx, javax.net.ssl.SSLContext serverCtx,
                                          String protocol, boolean clientAuth, boolean retry) throws Exception {
        List<byte[]> out = new ArrayList<>();
        Map<Integer, Integer> decoders = protocol.equals("TLSv1.3") ? TLS13 : TLS12;
        TlsEngine c = (TlsEngine) clientCtx.createSSLEngine("localhost", 8443);
        c.setUseClientMode(true);
        c.setEnabledProtocols(new String[] {protocol});
        if (retry) {
            c.setNamedGroups(new String[] {"x25519", "secp256r1"});
        }
        TlsEngine s = (TlsEngine) serverCtx.createSSLEngine();
        s.setUseClientMode(false);
        s.setNeedClientAuth(clientAuth);
        if (retry) {
            s.setNamedGroups(new String[] {"secp256r1"});
        }
        for (TlsEngine e : new TlsEngine[] {c, s}) {
            e.setOutgoingHandshakeFilterForTesting(m -> {
                Integer decoder = decoders.get(m[0] & 0xff);
                if (decoder != null) {
                    byte[] seed = Arrays.copyOfRange(m, 4, m.length + 1);
                    seed[seed.length - 1] = (byte) (int) decoder;
                    out.add(seed);
                }
                return m;
            });
        }
        EnginePair p = new EnginePair(c, s);
        p.handshake();
        p.send(p.client, new byte[] {1});
        p.send(p.server, new byte[] {2});
        if (p.client.error != null || p.server.error != null) {
            throw new IllegalStateException(HexFormat.of().formatHex(new byte[0]) + p.client.error + " / " + p.server.error);
        }
        return out;
    }
}
