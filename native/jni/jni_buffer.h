/*
 * jni_buffer.h - how bytes cross from Java to C, in one place.
 *
 * A Java region is a byte[] or a direct ByteBuffer plus offset and length. Direct
 * buffers give their address once (never copied). Arrays are borrowed with
 * Get/ReleasePrimitiveArrayCritical for at most TA_JNI_CHUNK bytes of work, so the GC is
 * never held up for long; between borrow and release no other JNI call is made.
 * Every offset and length is checked against the array length or buffer capacity
 * before any memory is touched.
 */
#ifndef TA_JNI_BUFFER_H
#define TA_JNI_BUFFER_H

#include <jni.h>
#include <stdint.h>

#include "tlsaccel.h"

/* Most bytes processed while one critical region is open (a multiple of TA_STREAM_BLOCK). */
#define TA_JNI_CHUNK (128 * 1024)

typedef struct {
  jobject ref;      /* byte[] or direct ByteBuffer */
  int direct;       /* 1: ref is a direct ByteBuffer */
  jlong off, len;   /* checked region */
  uint8_t *address; /* direct buffers: base address (+off not applied) */
  uint8_t *borrowed;/* arrays: base pointer while borrowed */
} ta_jbuf;

/* Checks and prepares a region; no critical region is opened. Returns TA_OK or TA_ERR_ARG. */
int ta_jbuf_init(JNIEnv *env, ta_jbuf *b, jobject ref, jboolean direct, jint off, jlong len);
/* The same for the region from off to the end of the array or buffer. */
int ta_jbuf_init_to_end(JNIEnv *env, ta_jbuf *b, jobject ref, jboolean direct, jint off);

/* Borrows a and (when it is another object) b; returns the base pointers of the regions
 * (already offset). The only JNI calls until ta_jbuf_return are critical-region ones. */
int ta_jbuf_borrow2(JNIEnv *env, ta_jbuf *a, ta_jbuf *b, uint8_t **pa, uint8_t **pb);
/* Gives back what ta_jbuf_borrow2 borrowed; a's contents are written back only when
 * a_written, b's when b_written. */
void ta_jbuf_return2(JNIEnv *env, ta_jbuf *a, ta_jbuf *b, int a_written, int b_written);

#endif
