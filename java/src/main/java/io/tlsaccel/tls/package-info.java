/**
 * TLS for the JVM, behind the standard JSSE API.
 *
 * <ul>
 *   <li>{@code message}: handshake messages and extensions as records, decoded through the
 *       bounded {@link io.tlsaccel.tls.message.TlsReader} (a bad length is a decode_error alert,
 *       never an exception leak) and encoded with {@link io.tlsaccel.tls.message.TlsWriter}.</li>
 *   <li>{@code record}: TLS 1.3 record protection
 *       ({@link io.tlsaccel.tls.record.Tls13RecordProtection}: nonce = iv XOR seq, AAD = header,
 *       inner content type and padding, usage limits), one AEAD context per direction and key,
 *       from {@link io.tlsaccel.crypto.Backends#selected()}; TLS 1.2 AEAD records
 *       ({@link io.tlsaccel.tls.record.Tls12RecordProtection}, driven in place by
 *       {@link io.tlsaccel.tls.record.Tls12RecordCipher}).</li>
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
 * <p>Version negotiation (TLS 1.3 preferred, TLS 1.2 if enabled, nothing older): a client
 * with both enabled sends one ClientHello offering both (supported_versions plus the TLS 1.2
 * suites and extensions); {@link io.tlsaccel.tls.handshake.Tls13ClientHandshake} hands over to
 * {@link io.tlsaccel.tls.handshake.Tls12ClientHandshake} when the ServerHello has no
 * supported_versions (which then checks the RFC 8446 4.1.3 downgrade sentinel).
 * {@link io.tlsaccel.tls.handshake.Tls13ServerHandshake} hands a ClientHello without TLS 1.3 to
 * {@link io.tlsaccel.tls.handshake.Tls12ServerHandshake} (which sets the sentinel when 1.3 is
 * enabled and honours TLS_FALLBACK_SCSV). With only one version enabled the engine starts that
 * version's machine directly. Both versions' machines are
 * {@link io.tlsaccel.tls.handshake.TlsHandshake}s and both record protections are
 * {@link io.tlsaccel.tls.record.RecordCipher}s, so the engine's record path is shared.
 *
 * <p>TLS 1.2 specifics: ECDHE (x25519, secp256r1, secp384r1) with ECDSA or RSA signatures and
 * RSA key transport, AES-GCM (explicit nonce = sequence number) and ChaCha20-Poly1305;
 * extended_master_secret required (system property
 * {@code tlsaccel.tls12.requireExtendedMasterSecret=false} relaxes it), renegotiation_info
 * required, renegotiation refused with a fatal handshake_failure, no session resumption.
 */
package io.tlsaccel.tls;
