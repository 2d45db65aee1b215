package io.tlsaccel.integration;

/**
 * An HTTPS server on 127.0.0.1 whose TLS is our provider's; every response body is
 * "HTTP-version TLS-version" as the server saw them, e.g. "HTTP/2.0 TLSv1.3".
 */
interface TestServer extends AutoCloseable {
    int port();

    /** Whether the server offers h2 through ALPN (otherwise only http/1.1). */
    boolean speaksH2();
}
