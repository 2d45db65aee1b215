package io.tlsaccel.crypto.jni;

import javax.crypto.AEADBadTagException;

/** Turns the C layer's TA_* result codes into the exceptions the Java API promises. */
final class NativeResults {

    static final int ERR_ARG = -1;
    static final int ERR_AUTH = -2;
    static final int ERR_UNSUPPORTED = -3;
    static final int ERR_NOMEM = -4;
    static final int ERR_STATE = -5;

    private NativeResults() {
    }

    /** The byte count, or the exception for a failure other than a tag mismatch. */
    static int check(int rc) {
        if (rc >= 0) {
            return rc;
        }
        throw failure(rc);
    }

    /** As {@link #check}, but a tag mismatch is the checked AEADBadTagException. */
    static int checkOpen(int rc) throws AEADBadTagException {
        if (rc == ERR_AUTH) {
            throw new AEADBadTagException("Tag mismatch");
        }
        return check(rc);
    }

    static RuntimeException failure(long rc) {
        switch ((int) rc) {
            case ERR_ARG: return new IllegalArgumentException("native layer refused the arguments");
            case ERR_UNSUPPORTED: return new UnsupportedOperationException("implementation not usable on this CPU");
            case ERR_NOMEM: return new IllegalStateException("native layer out of memory");
            case ERR_STATE: return new IllegalStateException("native stream used out of order");
            default: return new IllegalStateException("native layer failed with code " + rc);
        }
    }
}
