/**
 * What session resumption remembers: bounded, expiring caches behind
 * {@link javax.net.ssl.SSLSessionContext} (server session IDs, client sessions per peer).
 */
package io.tlsaccel.tls.session;
