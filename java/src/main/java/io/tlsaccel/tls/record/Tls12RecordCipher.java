package io.tlsaccel.tls.record;

import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.tls.message.TlsAlertException;
import java.nio.ByteBuffer;

/**
 * {@link Tls12RecordProtection} as the engine drives it: in-place sealing (the content sits
 * after the header and the explicit nonce) through two views of the output buffer, made once
 * per buffer, so nothing is allocated per record.
 */
public final class Tls12RecordCipher implements RecordCipher {
    private final Tls12RecordProtection protection;
    private ByteBuffer viewBase;
    private ByteBuffer viewIn;

    /** Makes the AEAD for one direction; zeroes {@code key} and {@code fixedIv}. */
    public Tls12RecordCipher(AeadAlgorithm aead, byte[] key, byte[] fixedIv) {
        this.protection = Tls12RecordProtection.create(aead, key, fixedIv);
    }

    @Override
    public int plaintextOffset() {
        return RecordLayer.HEADER_LENGTH + protection.explicitNonceLength();
    }

    @Override
    public int overhead() {
        return protection.overhead();
    }

    /**
     * RFC 5246 6.2.3 allows 2^14 + 2048, but an AEAD fragment's length fixes its plaintext's:
     * anything longer than 2^14 of content plus nonce and tag is record_overflow already at
     * the header, so a caller never waits for bytes of a record that will be refused.
     */
    @Override
    public int maxCiphertext() {
        return RecordLayer.MAX_PLAINTEXT + protection.explicitNonceLength() + AeadAlgorithm.TAG_LENGTH;
    }

    @Override
    public int openedLength(int fragmentLength) {
        return fragmentLength - protection.explicitNonceLength() - AeadAlgorithm.TAG_LENGTH;
    }

    @Override
    public int sealFragment(int contentType, ByteBuffer out, int contentLength) throws TlsAlertException {
        if (viewBase != out) {
            viewIn = out.duplicate();
            viewBase = out;
        }
        int start = out.position();
        viewIn.clear();
        viewIn.position(start + plaintextOffset());
        viewIn.limit(start + plaintextOffset() + contentLength);
        protection.sealFragment(contentType, viewIn, contentLength, out);
        return contentType;
    }

    /** TLS 1.2 content is sealed as it is, so the protection reads it from {@code src} directly. */
    @Override
    public int sealFragmentFrom(int contentType, ByteBuffer src, int contentLength, ByteBuffer out)
            throws TlsAlertException {
        protection.sealFragmentFrom(contentType, src, contentLength, out);
        return contentType;
    }

    /**
     * The AAD's version is TLS 1.2's own (RFC 5246 6.2.3.3); the record layer has already
     * refused a record that says otherwise once TLS 1.2 is negotiated.
     */
    @Override
    public int open(int recordType, int recordVersion, ByteBuffer in, int fragmentLength, ByteBuffer out)
            throws TlsAlertException {
        protection.open(recordType, in, fragmentLength, out);
        return recordType;
    }

    /** RFC 5246 has no key update; a 64-bit sequence number never runs out in practice. */
    @Override
    public boolean usageLimitReached() {
        return false;
    }

    @Override
    public void rewindOne() {
        protection.rewindOne();
    }

    @Override
    public void close() {
        protection.close();
    }

    @Override
    public String toString() {
        return protection.toString();
    }
}
