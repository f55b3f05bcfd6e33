package io.starconsole.otabucket;

import io.starconsole.firmware.ChunkedCipher;
import io.starconsole.firmware.Sha512;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.LongConsumer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Streams an image through {@link ChunkedCipher} into a multipart upload of {@code image.enc},
 * hashing the plain and the encrypted bytes on the way. Memory: one part buffer and two chunk
 * buffers, whatever the image size. On any failure the multipart upload is aborted.
 */
public final class ImageUpload {

    /** 8 MiB: above S3's 5 MiB minimum part size, small beside a 64 MiB heap. */
    public static final int PART_SIZE_IN_BYTES = 8 * 1024 * 1024;

    /** What was uploaded. */
    public record Result(long plainSize, String plainSha512, long encryptedSize, String encryptedSha512, int parts) {
    }

    private ImageUpload() {
    }

    public static Result upload(S3Client s3, String bucket, String key, Path image, byte[] releaseKey, int chunkSize,
                                LongConsumer plainBytesRead) throws IOException {
        String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key)
                .contentType("application/octet-stream")).uploadId();
        try {
            MessageDigest plainDigest = Sha512.newDigest();
            MessageDigest encryptedDigest = Sha512.newDigest();
            PartUploadStream parts = new PartUploadStream(s3, bucket, key, uploadId, PART_SIZE_IN_BYTES);
            CountingStream counted;
            try (InputStream in = Files.newInputStream(image)) {
                counted = new CountingStream(new DigestInputStream(in, plainDigest), plainBytesRead);
                DigestOutputStream encrypted = new DigestOutputStream(parts, encryptedDigest);
                ChunkedCipher.encrypt(counted, encrypted, releaseKey, chunkSize);
            }
            List<CompletedPart> completed = parts.finishParts();
            s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(completed)));
            long plainSize = counted.count;
            return new Result(plainSize, Sha512.hex(plainDigest), ChunkedCipher.encryptedSize(plainSize, chunkSize),
                    Sha512.hex(encryptedDigest), completed.size());
        } catch (IOException | RuntimeException e) {
            try {
                s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
            } catch (RuntimeException abortFailure) {
                e.addSuppressed(abortFailure);
            }
            throw e;
        }
    }

    private static final class CountingStream extends FilterInputStream {
        private final LongConsumer progress;
        long count;

        CountingStream(InputStream in, LongConsumer progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                progress.accept(++count);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                progress.accept(count);
            }
            return n;
        }
    }
}
