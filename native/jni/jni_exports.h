/*
 * jni_exports.h - every JNI entry point the library exports, in one list. The Java
 * declarations are in io.tlsaccel.crypto.jni.AeadJni, MacJni and X25519Jni; names and signatures
 * here must match them (the JNI tests in the Java suite call every one).
 */
#ifndef TA_JNI_EXPORTS_H
#define TA_JNI_EXPORTS_H

#include <jni.h>

JNIEXPORT jlong JNICALL Java_io_tlsaccel_crypto_jni_AeadJni_create(JNIEnv *, jclass, jint, jint,
                                                                   jbyteArray, jint, jint);
JNIEXPORT void JNICALL Java_io_tlsaccel_crypto_jni_AeadJni_free(JNIEnv *, jclass, jlong);
JNIEXPORT jint JNICALL Java_io_tlsaccel_crypto_jni_AeadJni_record(
    JNIEnv *, jclass, jlong, jboolean, jint, jlong, jlong, jlong, jint, jobject, jboolean, jint,
    jint, jobject, jboolean, jint);
JNIEXPORT jint JNICALL Java_io_tlsaccel_crypto_jni_AeadJni_general(
    JNIEnv *, jclass, jlong, jboolean, jbyteArray, jbyteArray, jint, jint, jobject, jboolean, jint,
    jint, jobject, jboolean, jint);

JNIEXPORT jlong JNICALL Java_io_tlsaccel_crypto_jni_AeadJni_address(JNIEnv *, jclass, jobject);
JNIEXPORT jint JNICALL Java_io_tlsaccel_crypto_jni_AeadJni_sealFrom(
    JNIEnv *, jclass, jlong, jint, jlong, jlong, jlong, jint, jobject, jboolean, jint, jint, jint,
    jobject, jboolean, jint);
JNIEXPORT jint JNICALL Java_io_tlsaccel_crypto_jni_AeadJni_recordDirect(
    JNIEnv *, jclass, jlong, jboolean, jint, jlong, jlong, jlong, jint, jlong, jint, jlong, jint);

JNIEXPORT jlong JNICALL Java_io_tlsaccel_crypto_jni_MacJni_create(JNIEnv *, jclass, jint, jint,
                                                                  jbyteArray, jint, jint);
JNIEXPORT void JNICALL Java_io_tlsaccel_crypto_jni_MacJni_free(JNIEnv *, jclass, jlong);
JNIEXPORT jint JNICALL Java_io_tlsaccel_crypto_jni_MacJni_update(JNIEnv *, jclass, jlong, jobject,
                                                                 jboolean, jint, jint);
JNIEXPORT jint JNICALL Java_io_tlsaccel_crypto_jni_MacJni_doFinal(JNIEnv *, jclass, jlong,
                                                                  jbyteArray, jint);
JNIEXPORT void JNICALL Java_io_tlsaccel_crypto_jni_MacJni_reset(JNIEnv *, jclass, jlong);

JNIEXPORT jint JNICALL Java_io_tlsaccel_crypto_jni_X25519Jni_publicKey(JNIEnv *, jclass, jint,
                                                                       jbyteArray, jbyteArray);
JNIEXPORT jint JNICALL Java_io_tlsaccel_crypto_jni_X25519Jni_sharedSecret(JNIEnv *, jclass, jint,
                                                                          jbyteArray, jbyteArray,
                                                                          jbyteArray);

#endif
