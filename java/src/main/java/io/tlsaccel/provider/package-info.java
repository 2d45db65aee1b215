/**
 * The {@code TlsAccel} JCA provider: {@code Cipher} AES/GCM/NoPadding (128/256-bit keys,
 * 96-bit IVs, 128-bit tags) and ChaCha20-Poly1305, {@code Mac} HmacSHA256/384, on the
 * tlsaccel engine chosen by {@link io.tlsaccel.crypto.Backends}.
 *
 * <p>Install with {@link io.tlsaccel.provider.TlsAccelProvider#install()} or
 * {@code Security.addProvider(new TlsAccelProvider())}; it is also registered for
 * {@link java.util.ServiceLoader}. On JDKs that verify JCE provider signatures (Oracle JDK)
 * the jar must be signed with a JCE code-signing certificate; OpenJDK builds do not check.
 */
package io.tlsaccel.provider;
