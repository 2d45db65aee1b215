/*
 * jni_mac.c - the JNI data plane for HMAC (io.tlsaccel.crypto.jni.MacJni).
 * Results are TA_* codes; the Java side turns them into exceptions.
 */
#include <jni.h>
#include <string.h>

#include "jni_buffer.h"
#include "jni_exports.h"
#include "tlsaccel.h"

JNIEXPORT jlong JNICALL Java_io_tlsaccel_crypto_jni_MacJni_create(JNIEnv *env, jclass cls,
                                                                  jint alg, jint impl,
                                                                  jbyteArray key, jint off,
                                                                  jint len) {
  (void)cls;
  if (key == NULL || off < 0 || len < 0) return TA_ERR_ARG;
  jsize n = (*env)->GetArrayLength(env, key);
  if (off > n || len > n - off) return TA_ERR_ARG;
  ta_jbuf b;
  if (ta_jbuf_init(env, &b, key, JNI_FALSE, off, len) != TA_OK) return TA_ERR_ARG;
  uint8_t *p, *unused;
  if (ta_jbuf_borrow2(env, &b, &b, &p, &unused) != TA_OK) return TA_ERR_NOMEM;
  ta_mac *ctx = NULL;
  int rc = ta_mac_new(&ctx, alg, impl, p, (size_t)len);
  ta_jbuf_return2(env, &b, &b, 0, 0);
  return rc == TA_OK ? (jlong)(intptr_t)ctx : (jlong)rc;
}

JNIEXPORT void JNICALL Java_io_tlsaccel_crypto_jni_MacJni_free(JNIEnv *env, jclass cls,
                                                               jlong ctx) {
  (void)env;
  (void)cls;
  ta_mac_free((ta_mac *)(intptr_t)ctx);
}

JNIEXPORT jint JNICALL Java_io_tlsaccel_crypto_jni_MacJni_update(JNIEnv *env, jclass cls,
                                                                 jlong ctx, jobject in,
                                                                 jboolean direct, jint off,
                                                                 jint len) {
  (void)cls;
  if (ctx == 0) return TA_ERR_ARG;
  ta_jbuf b;
  if (ta_jbuf_init(env, &b, in, direct, off, len) != TA_OK) return TA_ERR_ARG;
  for (jlong done = 0; done < len || len == 0; done += TA_JNI_CHUNK) {
    jlong n = len - done < TA_JNI_CHUNK ? len - done : TA_JNI_CHUNK;
    uint8_t *p, *unused;
    if (ta_jbuf_borrow2(env, &b, &b, &p, &unused) != TA_OK) return TA_ERR_NOMEM;
    int rc = ta_mac_update((ta_mac *)(intptr_t)ctx, p + done, (size_t)n);
    ta_jbuf_return2(env, &b, &b, 0, 0);
    if (rc != TA_OK || len == 0) return rc;
  }
  return TA_OK;
}

JNIEXPORT jint JNICALL Java_io_tlsaccel_crypto_jni_MacJni_doFinal(JNIEnv *env, jclass cls,
                                                                  jlong ctx, jbyteArray out,
                                                                  jint off) {
  (void)cls;
  if (ctx == 0) return TA_ERR_ARG;
  uint8_t mac[64];
  int n = ta_mac_length((const ta_mac *)(intptr_t)ctx);
  if (n <= 0 || out == NULL || off < 0) return TA_ERR_ARG;
  jsize cap = (*env)->GetArrayLength(env, out);
  if (off > cap || n > cap - off) return TA_ERR_ARG;
  int rc = ta_mac_final((ta_mac *)(intptr_t)ctx, mac, sizeof mac);
  if (rc == TA_OK) (*env)->SetByteArrayRegion(env, out, off, n, (const jbyte *)mac);
  memset(mac, 0, sizeof mac);
  __asm__ __volatile__("" : : "r"(mac) : "memory");
  return rc == TA_OK ? n : rc;
}

JNIEXPORT void JNICALL Java_io_tlsaccel_crypto_jni_MacJni_reset(JNIEnv *env, jclass cls,
                                                                jlong ctx) {
  (void)env;
  (void)cls;
  if (ctx != 0) ta_mac_reset((ta_mac *)(intptr_t)ctx);
}
