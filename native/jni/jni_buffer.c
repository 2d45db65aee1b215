/* jni_buffer.c - see jni_buffer.h. */
#include "jni_buffer.h"

#include <string.h>

/* to_end: the region runs from off to the end, len is ignored. */
static int init(JNIEnv *env, ta_jbuf *b, jobject ref, jboolean direct, jint off, jlong len,
                int to_end) {
  memset(b, 0, sizeof *b);
  if (ref == NULL || off < 0 || (!to_end && len < 0)) return TA_ERR_ARG;
  jlong capacity;
  if (direct) {
    b->address = (*env)->GetDirectBufferAddress(env, ref);
    capacity = (*env)->GetDirectBufferCapacity(env, ref);
    if (b->address == NULL || capacity < 0) return TA_ERR_ARG;
  } else {
    capacity = (*env)->GetArrayLength(env, (jarray)ref);
  }
  if ((jlong)off > capacity) return TA_ERR_ARG;
  if (to_end) len = capacity - (jlong)off;
  if (len > capacity - (jlong)off) return TA_ERR_ARG;
  b->ref = ref;
  b->direct = direct ? 1 : 0;
  b->off = off;
  b->len = len;
  return TA_OK;
}

int ta_jbuf_init(JNIEnv *env, ta_jbuf *b, jobject ref, jboolean direct, jint off, jlong len) {
  return init(env, b, ref, direct, off, len, 0);
}

int ta_jbuf_init_to_end(JNIEnv *env, ta_jbuf *b, jobject ref, jboolean direct, jint off) {
  return init(env, b, ref, direct, off, 0, 1);
}

static uint8_t *borrow(JNIEnv *env, ta_jbuf *b) {
  if (b->direct) return b->address + b->off;
  b->borrowed = (*env)->GetPrimitiveArrayCritical(env, (jarray)b->ref, NULL);
  return b->borrowed ? b->borrowed + b->off : NULL;
}

static void give_back(JNIEnv *env, ta_jbuf *b, int written) {
  if (b->direct || b->borrowed == NULL) return;
  (*env)->ReleasePrimitiveArrayCritical(env, (jarray)b->ref, b->borrowed,
                                        written ? 0 : JNI_ABORT);
  b->borrowed = NULL;
}

int ta_jbuf_borrow2(JNIEnv *env, ta_jbuf *a, ta_jbuf *b, uint8_t **pa, uint8_t **pb) {
  /* One object borrowed once: in place on one array must see one copy of it. */
  int same = !a->direct && !b->direct && (*env)->IsSameObject(env, a->ref, b->ref);
  *pa = borrow(env, a);
  if (*pa == NULL) return TA_ERR_NOMEM;
  if (same) {
    *pb = a->borrowed + b->off;
    return TA_OK;
  }
  *pb = borrow(env, b);
  if (*pb == NULL) {
    give_back(env, a, 0);
    return TA_ERR_NOMEM;
  }
  return TA_OK;
}

void ta_jbuf_return2(JNIEnv *env, ta_jbuf *a, ta_jbuf *b, int a_written, int b_written) {
  /* Release in reverse order; a shared borrow is released once, keeping both writes. */
  if (!a->direct && !b->direct && b->borrowed == NULL) {
    give_back(env, a, a_written || b_written);
    return;
  }
  give_back(env, b, b_written);
  give_back(env, a, a_written);
}
