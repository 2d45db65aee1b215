package io.tlsaccel.tls.message;

/** extended_master_secret (RFC 7627 5.1): the extension_data is empty. */
public final class ExtendedMasterSecret {
    private ExtendedMasterSecret() {
    }

    public static Extension extension() {
        return new Extension(ExtensionType.EXTENDED_MASTER_SECRET, new byte[0]);
    }

    public static void decode(byte[] extensionData) throws TlsAlertException {
        if (extensionData.length != 0) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR, "extended_master_secret with " + extensionData.length + " bytes of data");
        }
    }
}
