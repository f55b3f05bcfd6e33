package io.starconsole.otabucket;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Collects what is written into one part buffer and uploads it as the next part of a multipart
 * upload whenever it fills; {@link #finishParts()} uploads the rest. Memory: one part buffer.
 */
final class PartUploadStream extends OutputStream {

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final String uploadId;
    private final byte[] buffer;
    private int filled;
    private final List<CompletedPart> parts = new ArrayList<>();

    PartUploadStream(S3Client s3, String bucket, String key, String uploadId, int partSize) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.uploadId = uploadId;
        this.buffer = new byte[partSize];
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        while (len > 0) {
            int n = Math.min(len, buffer.length - filled);
            System.arraycopy(b, off, buffer, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == buffer.length) {
                uploadPart();
            }
        }
    }

    /** Uploads what is buffered (an empty object still gets its one part) and returns all parts. */
    List<CompletedPart> finishParts() {
        if (filled > 0 || parts.isEmpty()) {
            uploadPart();
        }
        return List.copyOf(parts);
    }

    private void uploadPart() {
        int number = parts.size() + 1;
        UploadPartResponse response = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                        .partNumber(number).contentLength((long) filled),
                RequestBody.fromInputStream(new ByteArrayInputStream(buffer, 0, filled), filled));
        parts.add(CompletedPart.builder().partNumber(number).eTag(response.eTag()).build());
        filled = 0;
    }
}
