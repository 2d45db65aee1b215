/**
 * Key encapsulation for the handshake: ML-KEM-768 (FIPS 203) on the JDK (24+) or Bouncy
 * Castle, behind one small API, with the input checks FIPS 203 7.2 and 7.3 ask of callers.
 */
package io.tlsaccel.crypto.kem;
