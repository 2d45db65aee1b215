package io.tlsaccel.tls.message;

/** The TLS 1.3 messages that carry extensions: the columns of the table in RFC 8446 4.2. */
public enum ExtensionContext {
    CLIENT_HELLO("ClientHello"),
    SERVER_HELLO("ServerHello"),
    HELLO_RETRY_REQUEST("HelloRetryRequest"),
    ENCRYPTED_EXTENSIONS("EncryptedExtensions"),
    CERTIFICATE_REQUEST("CertificateRequest"),
    CERTIFICATE("Certificate"),
    NEW_SESSION_TICKET("NewSessionTicket");

    private final String messageName;

    ExtensionContext(String messageName) {
        this.messageName = messageName;
    }

    public String messageName() {
        return messageName;
    }
}
