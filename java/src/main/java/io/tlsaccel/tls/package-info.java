/**
 * TLS for the JVM, behind the standard JSSE API.
 *
 * <ul>
 *   <li>{@code message}: handshake messages and extensions as records, decoded through the
 *       bounded {@link io.tlsaccel.tls.message.TlsReader} (a bad length is a decode_error alert,
 *       never an exception leak) and encoded with {@link io.tlsaccel.tls.message.TlsWriter}.</li>
 *   <li>{@code record}: TLS 1.3 record protection
 *       ({@link io.tlsaccel.tls.record.RecordProtection}: nonce = iv XOR seq, AAD = header,
 *       inner content type and padding, usage limits), one AEAD context per direction and key,
 *       from {@link io.tlsaccel.crypto.Backends#selected()}.</li>
 *   <li>{@code handshake}: the TLS 1.3 key schedule, transcript hash and the client and server
 *       state machines ({@link io.tlsaccel.tls.handshake.Tls13ClientHandshake},
 *       {@link io.tlsaccel.tls.handshake.Tls13ServerHandshake}): one small state object per
 *       awaited message; every failure is a {@link io.tlsaccel.tls.message.TlsAlertException}
 *       naming the alert to send.</li>
 *   <li>{@code engine}: {@link io.tlsaccel.tls.engine.TlsEngine} (SSLEngine: record framing,
 *       output queue of messages / CCS / key changes / alerts, the single place where a failure
 *       becomes an alert and a closed engine), {@link io.tlsaccel.tls.engine.TlsSession} and
 *       {@link io.tlsaccel.tls.engine.TlsContextSpi}.</li>
 * </ul>
 *
 * <p>Version negotiation goes through supported_versions only; TLS 1.2 would plug in where
 * {@code Tls13ServerHandshake.processClientHello} rejects a ClientHello without TLS 1.3 (today
 * protocol_version) and where the client checks ServerHello.supported_versions.
 */
package io.tlsaccel.tls;
