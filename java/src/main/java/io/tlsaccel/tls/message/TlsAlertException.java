package io.tlsaccel.tls.message;

import javax.net.ssl.SSLException;

/**
 * A protocol failure detected locally: carries the alert this side must send (RFC 8446 6.2).
 * Messages say what the peer did wrong and never contain key material.
 */
public class TlsAlertException extends SSLException {
    private static final long serialVersionUID = 1L;

    private final AlertDescription alert;

    public TlsAlertException(AlertDescription alert, String message) {
        super("(" + alert.rfcName() + ") " + message);
        this.alert = alert;
    }

    public TlsAlertException(AlertDescription alert, String message, Throwable cause) {
        this(alert, message);
        initCause(cause);
    }

    public AlertDescription alert() {
        return alert;
    }
}
