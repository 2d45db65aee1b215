package io.tlsaccel.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tlsaccel.tls.message.CertificateMessage;
import io.tlsaccel.tls.message.CertificateRequest;
import io.tlsaccel.tls.message.CertificateVerify;
import io.tlsaccel.tls.message.ClientHello;
import io.tlsaccel.tls.message.EcdheClientKeyExchange;
import io.tlsaccel.tls.message.EcdheServerKeyExchange;
import io.tlsaccel.tls.message.EncryptedExtensions;
import io.tlsaccel.tls.message.Extension;
import io.tlsaccel.tls.message.ExtensionBlock;
import io.tlsaccel.tls.message.ExtensionContext;
import io.tlsaccel.tls.message.ExtensionType;
import io.tlsaccel.tls.message.Extensions;
import io.tlsaccel.tls.message.Finished;
import io.tlsaccel.tls.message.KeyUpdate;
import io.tlsaccel.tls.message.NewSessionTicket;
import io.tlsaccel.tls.message.OfferedPsks;
import io.tlsaccel.tls.message.RsaClientKeyExchange;
import io.tlsaccel.tls.message.ServerHello;
import io.tlsaccel.tls.message.Tls12Certificate;
import io.tlsaccel.tls.message.Tls12CertificateRequest;
import io.tlsaccel.tls.message.Tls12NewSessionTicket;
import io.tlsaccel.tls.message.TlsAlertException;
import io.tlsaccel.tls.message.TlsReader;
import io.tlsaccel.tls.session.ResumptionState;
import java.util.List;

/**
 * Every message decoder and extension parser on arbitrary bytes: each either decodes or
 * throws {@link TlsAlertException} (which becomes an alert); any other exception, a hang or
 * a crash is a finding. The bytes are one message body, as the joiner hands it over.
 */
class MessageDecoderFuzzTest {

    /** One decoder: body in, anything or a TlsAlertException out. */
    private interface Decoder {
        void decode(byte[] body) throws TlsAlertException;
    }

    private static TlsReader reader(byte[] b) {
        return new TlsReader(b);
    }

    private static final List<Decoder> DECODERS = List.of(
            b -> ClientHello.decode(reader(b)),
            b -> ServerHello.decode(reader(b)),
            b -> EncryptedExtensions.decode(reader(b)),
            b -> CertificateMessage.decode(reader(b)),
            b -> CertificateRequest.decode(reader(b)),
            b -> CertificateVerify.decode(reader(b)),
            b -> Finished.decode(reader(b), 32),
            b -> NewSessionTicket.decode(reader(b)),
            b -> KeyUpdate.decode(reader(b)),
            b -> Tls12Certificate.decode(reader(b)),
            b -> Tls12CertificateRequest.decode(reader(b)),
            b -> Tls12NewSessionTicket.decode(reader(b)),
            b -> EcdheServerKeyExchange.decode(reader(b)),
            b -> EcdheClientKeyExchange.decode(reader(b)),
            b -> RsaClientKeyExchange.decode(reader(b)),
            b -> Extension.decodeList(reader(b)),
            b -> ExtensionBlock.parse(Extension.decodeList(reader(b)), ExtensionBlock.Rules.request(ExtensionContext.CLIENT_HELLO,
                    ExtensionType.KEY_SHARE, ExtensionType.PRE_SHARED_KEY, ExtensionType.SUPPORTED_GROUPS)),
            Extensions::parseSupportedVersionsClient,
            Extensions::parseSupportedVersionsServer,
            Extensions::parseU16List,
            Extensions::parseKeyShareClient,
            Extensions::parseKeyShareServer,
            Extensions::parseKeyShareHelloRetry,
            Extensions::parseServerName,
            Extensions::parseAlpn,
            Extensions::parseCookie,
            Extensions::parsePskKeyExchangeModes,
            OfferedPsks::decode,
            OfferedPsks::parseSelected,
            ResumptionState::decode);

    @FuzzTest(maxDuration = "60s")
    void decodersOnlyAlert(FuzzedDataProvider data) {
        Decoder d = DECODERS.get(data.consumeInt(0, DECODERS.size() - 1));
        byte[] body = data.consumeRemainingAsBytes();
        try {
            d.decode(body);
        } catch (TlsAlertException expected) {
            // malformed input: the handshake answers with the alert
        }
    }
}
