/*
 * jni_x25519.c - the JNI entry points for X25519 (io.tlsaccel.crypto.jni.X25519Jni): one
 * call per operation. The 32-byte inputs are copied onto the stack (GetByteArrayRegion
 * needs no critical region and 32 bytes cost less to copy than to pin), the result is
 * copied out, and the stack copies are wiped. Results are TA_* codes; the Java side turns
 * them into exceptions.
 */
#include <jni.h>
#include <string.h>

#include "jni_exports.h"
#include "tlsaccel.h"

static void wipe(uint8_t *p, size_t n) {
  memset(p, 0, n);
  __asm__ __volatile__("" : : "r"(p) : "memory");
}

/* 1 when a is a byte[] of exactly TA_X25519_LEN bytes. */
static int is_key(JNIEnv *env, jbyteArray a) {
  return a != NULL && (*env)->GetArrayLength(env, a) == TA_X25519_LEN;
}

JNIEXPORT jint JNICALL Java_io_tlsaccel_crypto_jni_X25519Jni_publicKey(JNIEnv *env, jclass cls,
                                                                       jint impl,
                                                                       jbyteArray priv,
                                                                       jbyteArray pub) {
  (void)cls;
  if (!is_key(env, priv) || !is_key(env, pub)) return TA_ERR_ARG;
  uint8_t k[TA_X25519_LEN], out[TA_X25519_LEN];
  (*env)->GetByteArrayRegion(env, priv, 0, TA_X25519_LEN, (jbyte *)k);
  int rc = ta_x25519_public_key(impl, out, k);
  if (rc == TA_OK) (*env)->SetByteArrayRegion(env, pub, 0, TA_X25519_LEN, (const jbyte *)out);
  wipe(k, sizeof k);
  return rc;
}

JNIEXPORT jint JNICALL Java_io_tlsaccel_crypto_jni_X25519Jni_sharedSecret(
    JNIEnv *env, jclass cls, jint impl, jbyteArray priv, jbyteArray peer, jbyteArray shared) {
  (void)cls;
  if (!is_key(env, priv) || !is_key(env, peer) || !is_key(env, shared)) return TA_ERR_ARG;
  uint8_t k[TA_X25519_LEN], u[TA_X25519_LEN], out[TA_X25519_LEN];
  (*env)->GetByteArrayRegion(env, priv, 0, TA_X25519_LEN, (jbyte *)k);
  (*env)->GetByteArrayRegion(env, peer, 0, TA_X25519_LEN, (jbyte *)u);
  int rc = ta_x25519_shared_secret(impl, out, k, u);
  if (rc == TA_OK) (*env)->SetByteArrayRegion(env, shared, 0, TA_X25519_LEN, (const jbyte *)out);
  wipe(k, sizeof k);
  wipe(out, sizeof out);
  return rc;
}
