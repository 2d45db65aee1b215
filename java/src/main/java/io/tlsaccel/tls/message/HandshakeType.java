package io.tlsaccel.tls.message;

/** Handshake message types of both versions (RFC 8446 4, RFC 5246 7.4): the one list of them. */
public final class HandshakeType {
    /** TLS 1.2 only (RFC 5246 7.4.1.1). */
    public static final int HELLO_REQUEST = 0;
    public static final int CLIENT_HELLO = 1;
    public static final int SERVER_HELLO = 2;
    public static final int NEW_SESSION_TICKET = 4;
    public static final int END_OF_EARLY_DATA = 5;
    public static final int ENCRYPTED_EXTENSIONS = 8;
    public static final int CERTIFICATE = 11;
    /** TLS 1.2 only (RFC 5246 7.4.3). */
    public static final int SERVER_KEY_EXCHANGE = 12;
    public static final int CERTIFICATE_REQUEST = 13;
    /** TLS 1.2 only (RFC 5246 7.4.5). */
    public static final int SERVER_HELLO_DONE = 14;
    public static final int CERTIFICATE_VERIFY = 15;
    /** TLS 1.2 only (RFC 5246 7.4.7). */
    public static final int CLIENT_KEY_EXCHANGE = 16;
    public static final int FINISHED = 20;
    public static final int KEY_UPDATE = 24;
    public static final int MESSAGE_HASH = 254;

    private HandshakeType() {
    }

    public static String name(int type) {
        switch (type) {
            case CLIENT_HELLO: return "ClientHello";
            case SERVER_HELLO: return "ServerHello";
            case NEW_SESSION_TICKET: return "NewSessionTicket";
            case END_OF_EARLY_DATA: return "EndOfEarlyData";
            case ENCRYPTED_EXTENSIONS: return "EncryptedExtensions";
            case CERTIFICATE: return "Certificate";
            case CERTIFICATE_REQUEST: return "CertificateRequest";
            case CERTIFICATE_VERIFY: return "CertificateVerify";
            case FINISHED: return "Finished";
            case KEY_UPDATE: return "KeyUpdate";
            case MESSAGE_HASH: return "message_hash";
            case HELLO_REQUEST: return "HelloRequest";
            case SERVER_KEY_EXCHANGE: return "ServerKeyExchange";
            case SERVER_HELLO_DONE: return "ServerHelloDone";
            case CLIENT_KEY_EXCHANGE: return "ClientKeyExchange";
            default: return "handshake(" + type + ")";
        }
    }
}
