package io.tlsaccel.tls.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExtensionBlockTest {
    private static final ExtensionBlock.Rules CH = ExtensionBlock.Rules.request(ExtensionContext.CLIENT_HELLO,
            ExtensionType.KEY_SHARE, ExtensionType.SUPPORTED_VERSIONS);
    private static final ExtensionBlock.Rules EE = ExtensionBlock.Rules.response(ExtensionContext.ENCRYPTED_EXTENSIONS,
            ExtensionType.ALPN);
    private static final ExtensionBlock.Rules SH12 = ExtensionBlock.Rules.tls12Response("ServerHello",
            ExtensionType.RENEGOTIATION_INFO);

    private static Extension ext(int type, int... body) {
        byte[] b = new byte[body.length];
        for (int i = 0; i < body.length; i++) {
            b[i] = (byte) body[i];
        }
        return new Extension(type, b);
    }

    private static AlertDescription alert(ExtensionBlock.Rules rules, Extension... exts) {
        return assertThrows(TlsAlertException.class, () -> ExtensionBlock.parse(List.of(exts), rules)).alert();
    }

    @Test
    void acceptedAreKeptAndUnknownSkippedInARequest() throws TlsAlertException {
        ExtensionBlock b = ExtensionBlock.parse(List.of(ext(ExtensionType.KEY_SHARE, 1, 2), ext(0x7777, 9),
                ext(ExtensionType.PADDING, 0, 0), ext(ExtensionType.SUPPORTED_VERSIONS)), CH);
        assertArrayEquals(new byte[] {1, 2}, b.get(ExtensionType.KEY_SHARE));
        assertTrue(b.has(ExtensionType.SUPPORTED_VERSIONS));
        assertFalse(b.has(0x7777));
        assertNull(b.get(ExtensionType.PADDING));
        assertEquals(2, b.types().size());
    }

    @Test
    void knownExtensionInTheWrongMessageIsIllegalParameter() {
        // RFC 8446 4.2: oid_filters belongs in CertificateRequest only; key_share is not for EncryptedExtensions.
        assertEquals(AlertDescription.ILLEGAL_PARAMETER, alert(CH, ext(ExtensionType.OID_FILTERS)));
        assertEquals(AlertDescription.ILLEGAL_PARAMETER, alert(EE, ext(ExtensionType.KEY_SHARE)));
        assertEquals(AlertDescription.ILLEGAL_PARAMETER, alert(EE, ext(ExtensionType.PADDING)));
    }

    @Test
    void unsolicitedExtensionInAResponseIsUnsupportedExtension() {
        // Allowed in EncryptedExtensions but never offered by us, or not known at all.
        assertEquals(AlertDescription.UNSUPPORTED_EXTENSION, alert(EE, ext(ExtensionType.HEARTBEAT)));
        assertEquals(AlertDescription.UNSUPPORTED_EXTENSION, alert(EE, ext(0x7777)));
        // TLS 1.2 has no per-message table: whatever we did not offer is unsupported_extension.
        assertEquals(AlertDescription.UNSUPPORTED_EXTENSION, alert(SH12, ext(ExtensionType.KEY_SHARE)));
        assertEquals(AlertDescription.UNSUPPORTED_EXTENSION, alert(SH12, ext(0x7777)));
    }

    @Test
    void duplicatesAreIllegalParameterWhetherAcceptedOrNot() {
        assertEquals(AlertDescription.ILLEGAL_PARAMETER,
                alert(CH, ext(ExtensionType.KEY_SHARE), ext(ExtensionType.KEY_SHARE)));
        assertEquals(AlertDescription.ILLEGAL_PARAMETER, alert(CH, ext(0x7777), ext(0x7777)));
    }

    @Test
    void everyTls13ExtensionHasARowAndTls12OnesHaveNone() {
        for (int t : new int[] {ExtensionType.SERVER_NAME, ExtensionType.KEY_SHARE, ExtensionType.COOKIE,
                ExtensionType.SIGNATURE_ALGORITHMS_CERT, ExtensionType.OID_FILTERS}) {
            assertTrue(ExtensionType.allowedIn(t) != null, "type " + t);
        }
        assertNull(ExtensionType.allowedIn(ExtensionType.RENEGOTIATION_INFO));
        assertNull(ExtensionType.allowedIn(ExtensionType.EXTENDED_MASTER_SECRET));
        assertNull(ExtensionType.allowedIn(ExtensionType.EC_POINT_FORMATS));
    }
}
