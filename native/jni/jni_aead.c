/*
 * jni_aead.c - the JNI data plane: one native call per seal or open (one TLS record),
 * no Java object created, no exception thrown from C (results are TA_* codes the Java
 * side turns into exceptions), every offset and length checked before memory is touched.
 *
 * Java side: io.tlsaccel.crypto.jni.AeadJni and MacJni.
 */
#include <jni.h>
#include <stdlib.h>
#include <string.h>

#include "jni_buffer.h"
#include "jni_exports.h"
#include "tlsaccel.h"

#define TAG TA_AEAD_TAG_LEN
#define SMALL_AAD 512

static void put_be32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

static void put_be64(uint8_t *p, uint64_t v) {
  put_be32(p, (uint32_t)(v >> 32));
  put_be32(p + 4, (uint32_t)v);
}

/* The record forms' nonce (4 + 8 bytes) and AAD (up to 16 bytes), passed as numbers. */
static void record_nonce_aad(uint8_t nonce[12], uint8_t aad[16], jint nonce_high, jlong nonce_low,
                             jlong aad_high, jlong aad_low) {
  put_be32(nonce, (uint32_t)nonce_high);
  put_be64(nonce + 4, (uint64_t)nonce_low);
  put_be64(aad, (uint64_t)aad_high);
  put_be64(aad + 8, (uint64_t)aad_low);
}

/* Zeroes out[off .. off+len) of a Java region, borrowing it briefly. */
static void wipe_region(JNIEnv *env, ta_jbuf *out, jlong len) {
  if (len <= 0) return;
  if (out->direct) {
    memset(out->address + out->off, 0, (size_t)len);
    return;
  }
  for (jlong done = 0; done < len; done += TA_JNI_CHUNK) {
    jlong n = len - done < TA_JNI_CHUNK ? len - done : TA_JNI_CHUNK;
    uint8_t *base = (*env)->GetPrimitiveArrayCritical(env, (jarray)out->ref, NULL);
    if (base == NULL) return;
    memset(base + out->off + done, 0, (size_t)n);
    (*env)->ReleasePrimitiveArrayCritical(env, (jarray)out->ref, base, 0);
  }
}

/* Most bytes a call copies through the stack instead of borrowing the arrays: below this,
 * two copies cost less than the four VM calls a critical borrow of two arrays takes. */
#define TA_JNI_BOUNCE 2048

/* Small array records: copy in, seal or open on the stack, copy out. */
static jint bounce_op(JNIEnv *env, const ta_aead *ctx, int seal, const uint8_t nonce[12],
                      const uint8_t *aad, size_t aad_len, ta_jbuf *in, ta_jbuf *out,
                      jlong out_len) {
  uint8_t buf[TA_JNI_BOUNCE + TAG];
  (*env)->GetByteArrayRegion(env, (jbyteArray)in->ref, (jsize)in->off, (jsize)in->len,
                             (jbyte *)buf);
  int rc = seal ? ta_aead_seal(ctx, nonce, aad, aad_len, buf, (size_t)in->len, buf)
                : ta_aead_open(ctx, nonce, aad, aad_len, buf, (size_t)in->len, buf);
  if (rc == TA_OK)
    (*env)->SetByteArrayRegion(env, (jbyteArray)out->ref, (jsize)out->off, (jsize)out_len,
                               (const jbyte *)buf);
  else if (!seal)
    wipe_region(env, out, out_len);
  memset(buf, 0, (size_t)in->len + TAG);
  __asm__ __volatile__("" : : "r"(buf) : "memory");
  return rc == TA_OK ? (jint)out_len : rc;
}

/*
 * One whole seal or open. in/out are checked regions: seal writes in.len + 16 bytes,
 * open writes in.len - 16. Long array inputs go through the stream API in chunks.
 */
static jint aead_op(JNIEnv *env, const ta_aead *ctx, int seal, const uint8_t nonce[12],
                    const uint8_t *aad, size_t aad_len, ta_jbuf *in, ta_jbuf *out) {
  jlong len = seal ? in->len : in->len - TAG;
  if (len < 0) return TA_ERR_ARG;
  jlong out_len = seal ? len + TAG : len;
  if (out_len > out->len) return TA_ERR_ARG;

  uint8_t *pin, *pout;
  int rc;
  if (!in->direct && !out->direct && in->len <= TA_JNI_BOUNCE) {
    return bounce_op(env, ctx, seal, nonce, aad, aad_len, in, out, out_len);
  }
  if ((in->direct && out->direct) || len <= TA_JNI_CHUNK) {
    rc = ta_jbuf_borrow2(env, in, out, &pin, &pout);
    if (rc != TA_OK) return rc;
    rc = seal ? ta_aead_seal(ctx, nonce, aad, aad_len, pin, (size_t)len, pout)
              : ta_aead_open(ctx, nonce, aad, aad_len, pin, (size_t)in->len, pout);
    ta_jbuf_return2(env, in, out, 0, 1);
    return rc == TA_OK ? (jint)out_len : rc;
  }

  /* Long array: bounded pieces, each under its own short critical region. */
  ta_aead_stream st;
  uint8_t tag[TAG];
  if (!seal) {
    rc = ta_jbuf_borrow2(env, in, out, &pin, &pout);
    if (rc != TA_OK) return rc;
    memcpy(tag, pin + len, TAG);
    ta_jbuf_return2(env, in, out, 0, 0);
  }
  rc = ta_aead_stream_begin(&st, ctx, seal, nonce, aad, aad_len);
  if (rc != TA_OK) return rc;
  for (jlong done = 0;;) {
    jlong n = len - done;
    int last = n <= TA_JNI_CHUNK;
    if (!last) n = TA_JNI_CHUNK;
    rc = ta_jbuf_borrow2(env, in, out, &pin, &pout);
    if (rc != TA_OK) break;
    if (!last) {
      rc = ta_aead_stream_update(&st, pin + done, (size_t)n, pout + done);
    } else if (seal) {
      rc = ta_aead_stream_finish_seal(&st, pin + done, (size_t)n, pout + done, pout + len);
    } else {
      rc = ta_aead_stream_finish_open(&st, pin + done, (size_t)n, pout + done, tag);
    }
    ta_jbuf_return2(env, in, out, 0, 1);
    if (rc != TA_OK || last) break;
    done += n;
  }
  ta_aead_stream_wipe(&st);
  if (rc != TA_OK && !seal) wipe_region(env, out, len); /* no unauthenticated plaintext */
  return rc == TA_OK ? (jint)out_len : rc;
}

JNIEXPORT jlong JNICALL Java_io_tlsaccel_crypto_jni_AeadJni_create(JNIEnv *env, jclass cls,
                                                                   jint alg, jint impl,
                                                                   jbyteArray key, jint off,
                                                                   jint len) {
  (void)cls;
  uint8_t k[64];
  if (key == NULL || off < 0 || len < 0 || len > (jint)sizeof k) return TA_ERR_ARG;
  jsize n = (*env)->GetArrayLength(env, key);
  if (off > n || len > n - off) return TA_ERR_ARG;
  (*env)->GetByteArrayRegion(env, key, off, len, (jbyte *)k);
  ta_aead *ctx = NULL;
  int rc = ta_aead_new(&ctx, alg, impl, k, (size_t)len);
  memset(k, 0, sizeof k);
  __asm__ __volatile__("" : : "r"(k) : "memory");
  return rc == TA_OK ? (jlong)(intptr_t)ctx : (jlong)rc;
}

JNIEXPORT void JNICALL Java_io_tlsaccel_crypto_jni_AeadJni_free(JNIEnv *env, jclass cls,
                                                                jlong ctx) {
  (void)env;
  (void)cls;
  ta_aead_free((ta_aead *)(intptr_t)ctx);
}

/* The record path: nonce and AAD arrive as numbers, nothing is read from Java arrays
 * but the payload. */
JNIEXPORT jint JNICALL Java_io_tlsaccel_crypto_jni_AeadJni_record(
    JNIEnv *env, jclass cls, jlong ctx, jboolean seal, jint nonce_high, jlong nonce_low,
    jlong aad_high, jlong aad_low, jint aad_len, jobject in, jboolean in_direct, jint in_off,
    jint in_len, jobject out, jboolean out_direct, jint out_off) {
  (void)cls;
  if (ctx == 0 || aad_len < 0 || aad_len > 16) return TA_ERR_ARG;
  uint8_t nonce[12], aad[16];
  record_nonce_aad(nonce, aad, nonce_high, nonce_low, aad_high, aad_low);
  ta_jbuf bin, bout;
  if (ta_jbuf_init(env, &bin, in, in_direct, in_off, in_len) != TA_OK) return TA_ERR_ARG;
  if (ta_jbuf_init_to_end(env, &bout, out, out_direct, out_off) != TA_OK)
    return TA_ERR_ARG;
  return aead_op(env, (const ta_aead *)(intptr_t)ctx, seal, nonce, aad, (size_t)aad_len, &bin,
                 &bout);
}

/* The address of a direct buffer (0 for anything else), asked once per buffer object:
 * it never changes, so the Java side caches it and the record path needs no JNI call. */
JNIEXPORT jlong JNICALL Java_io_tlsaccel_crypto_jni_AeadJni_address(JNIEnv *env, jclass cls,
                                                                    jobject buffer) {
  (void)cls;
  if (buffer == NULL) return 0;
  return (jlong)(intptr_t)(*env)->GetDirectBufferAddress(env, buffer);
}

/*
 * The record path on direct memory: nonce, AAD and both regions as numbers, so the call
 * makes no JNI call back into the VM at all. The Java side got each address from
 * ..._address for a live direct buffer it holds, and checked position, length and capacity
 * against that buffer; here the numbers are checked again for what can be checked.
 */
JNIEXPORT jint JNICALL Java_io_tlsaccel_crypto_jni_AeadJni_recordDirect(
    JNIEnv *env, jclass cls, jlong ctx, jboolean seal, jint nonce_high, jlong nonce_low,
    jlong aad_high, jlong aad_low, jint aad_len, jlong in_addr, jint in_len, jlong out_addr,
    jint out_cap) {
  (void)env;
  (void)cls;
  if (ctx == 0 || aad_len < 0 || aad_len > 16 || in_addr == 0 || out_addr == 0 || in_len < 0 ||
      out_cap < 0)
    return TA_ERR_ARG;
  jlong out_len = seal ? (jlong)in_len + TAG : (jlong)in_len - TAG;
  if (out_len < 0 || out_len > out_cap) return TA_ERR_ARG;
  uint8_t nonce[12], aad[16];
  record_nonce_aad(nonce, aad, nonce_high, nonce_low, aad_high, aad_low);
  const ta_aead *c = (const ta_aead *)(intptr_t)ctx;
  const uint8_t *in = (const uint8_t *)(intptr_t)in_addr;
  uint8_t *out = (uint8_t *)(intptr_t)out_addr;
  int rc = seal ? ta_aead_seal(c, nonce, aad, (size_t)aad_len, in, (size_t)in_len, out)
                : ta_aead_open(c, nonce, aad, (size_t)aad_len, in, (size_t)in_len, out);
  return rc == TA_OK ? (jint)out_len : rc;
}

/*
 * Seals a record's plaintext from where it lies: the len bytes at in, then (TLS 1.3, RFC 8446
 * 5.2: the inner plaintext is the content followed by its content type) the one byte trailer,
 * or nothing when trailer is negative (TLS 1.2). out receives the ciphertext, then the tag.
 * in == out is sealing in place; any other overlap moves the content to out first, so the
 * record layer need never copy the content into place itself.
 */
static int seal_from(const ta_aead *ctx, const uint8_t nonce[12], const uint8_t *aad,
                     size_t aad_len, const uint8_t *in, size_t len, int trailer, uint8_t *out) {
  size_t trailer_len = trailer >= 0 ? 1 : 0;
  uintptr_t x = (uintptr_t)in, y = (uintptr_t)out;
  if (in != out && len != 0 && x < y + len + trailer_len + TAG && y < x + len) {
    memmove(out, in, len);
    in = out;
  }
  ta_aead_stream st;
  int rc = ta_aead_stream_begin(&st, ctx, 1, nonce, aad, aad_len);
  if (rc != TA_OK) return rc;
  size_t whole = len - len % TA_STREAM_BLOCK;
  if (whole != 0) rc = ta_aead_stream_update(&st, in, whole, out);
  if (rc == TA_OK) {
    /* The last piece: the content's tail (under one stream block) and the trailer. */
    uint8_t tail[TA_STREAM_BLOCK];
    size_t rest = len - whole;
    memcpy(tail, in + whole, rest);
    if (trailer_len) tail[rest] = (uint8_t)trailer;
    rc = ta_aead_stream_finish_seal(&st, tail, rest + trailer_len, tail,
                                    out + len + trailer_len);
    if (rc == TA_OK) memcpy(out + whole, tail, rest + trailer_len);
    memset(tail, 0, sizeof tail);
    __asm__ __volatile__("" : : "r"(tail) : "memory");
  }
  ta_aead_stream_wipe(&st);
  return rc;
}

/* One record sealed from the application's buffer: seal_from on checked regions (each a
 * byte[] or a direct buffer); out receives in_len + (trailer >= 0) + 16 bytes. */
JNIEXPORT jint JNICALL Java_io_tlsaccel_crypto_jni_AeadJni_sealFrom(
    JNIEnv *env, jclass cls, jlong ctx, jint nonce_high, jlong nonce_low, jlong aad_high,
    jlong aad_low, jint aad_len, jobject in, jboolean in_direct, jint in_off, jint in_len,
    jint trailer, jobject out, jboolean out_direct, jint out_off) {
  (void)cls;
  /* A record's content is at most 2^14 bytes: the critical region stays short. */
  if (ctx == 0 || aad_len < 0 || aad_len > 16 || in_len < 0 || in_len > TA_JNI_CHUNK ||
      trailer < -1 || trailer > 255)
    return TA_ERR_ARG;
  ta_jbuf bin, bout;
  if (ta_jbuf_init(env, &bin, in, in_direct, in_off, in_len) != TA_OK) return TA_ERR_ARG;
  if (ta_jbuf_init_to_end(env, &bout, out, out_direct, out_off) != TA_OK) return TA_ERR_ARG;
  jlong out_len = (jlong)in_len + (trailer >= 0 ? 1 : 0) + TAG;
  if (out_len > bout.len) return TA_ERR_ARG;
  uint8_t nonce[12], aad[16];
  record_nonce_aad(nonce, aad, nonce_high, nonce_low, aad_high, aad_low);
  uint8_t *pin, *pout;
  int rc = ta_jbuf_borrow2(env, &bin, &bout, &pin, &pout);
  if (rc != TA_OK) return rc;
  rc = seal_from((const ta_aead *)(intptr_t)ctx, nonce, aad, (size_t)aad_len, pin,
                 (size_t)in_len, trailer, pout);
  ta_jbuf_return2(env, &bin, &bout, 0, 1);
  return rc == TA_OK ? (jint)out_len : rc;
}

/* The general path: nonce and AAD as arrays (AAD of any length, copied, never borrowed). */
JNIEXPORT jint JNICALL Java_io_tlsaccel_crypto_jni_AeadJni_general(
    JNIEnv *env, jclass cls, jlong ctx, jboolean seal, jbyteArray nonce_arr, jbyteArray aad_arr,
    jint aad_off, jint aad_len, jobject in, jboolean in_direct, jint in_off, jint in_len,
    jobject out, jboolean out_direct, jint out_off) {
  (void)cls;
  if (ctx == 0 || nonce_arr == NULL || (*env)->GetArrayLength(env, nonce_arr) != 12)
    return TA_ERR_ARG;
  if (aad_len < 0 || aad_off < 0) return TA_ERR_ARG;
  if (aad_len > 0) {
    if (aad_arr == NULL) return TA_ERR_ARG;
    jsize n = (*env)->GetArrayLength(env, aad_arr);
    if (aad_off > n || aad_len > n - aad_off) return TA_ERR_ARG;
  }
  ta_jbuf bin, bout;
  if (ta_jbuf_init(env, &bin, in, in_direct, in_off, in_len) != TA_OK) return TA_ERR_ARG;
  if (ta_jbuf_init_to_end(env, &bout, out, out_direct, out_off) != TA_OK)
    return TA_ERR_ARG;

  uint8_t nonce[12];
  (*env)->GetByteArrayRegion(env, nonce_arr, 0, 12, (jbyte *)nonce);
  uint8_t small[SMALL_AAD];
  uint8_t *aad = small;
  if (aad_len > SMALL_AAD) {
    aad = malloc((size_t)aad_len); /* only for unusually long AAD */
    if (aad == NULL) return TA_ERR_NOMEM;
  }
  if (aad_len > 0) (*env)->GetByteArrayRegion(env, aad_arr, aad_off, aad_len, (jbyte *)aad);
  jint rc = aead_op(env, (const ta_aead *)(intptr_t)ctx, seal, nonce, aad, (size_t)aad_len,
                    &bin, &bout);
  if (aad != small) free(aad);
  return rc;
}
