package io.starconsole.localcloud;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A real S3 API server (s3proxy) on loopback, storing objects as files under {@code <data>/s3}.
 * Clients authenticate with AWS signature v4 and the local access key.
 */
final class EmbeddedObjectStore implements AutoCloseable {

    private static final long START_TIMEOUT_MILLIS = 30_000;

    private final S3Proxy proxy;
    private final BlobStoreContext context;

    private EmbeddedObjectStore(S3Proxy proxy, BlobStoreContext context) {
        this.proxy = proxy;
        this.context = context;
    }

    static EmbeddedObjectStore start(LocalCloudSettings settings) throws IOException {
        Path objects = settings.dataDirectory().resolve("s3");
        Files.createDirectories(objects);
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", objects.toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem")
                .credentials(settings.accessKey(), settings.secretKey())
                .overrides(properties)
                .buildView(BlobStoreContext.class);
        BlobStore blobStore = context.getBlobStore();
        blobStore.createContainerInLocation(null, settings.bucket());

        int port = settings.objectStorePort() == 0 ? EmbeddedDatabase.freePort() : settings.objectStorePort();
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, settings.accessKey(), settings.secretKey())
                .build();
        try {
            proxy.start();
            long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException("the S3 API server did not start within 30 s");
                }
                Thread.sleep(10);
            }
        } catch (IOException e) {
            context.close();
            throw e;
        } catch (Exception e) {
            context.close();
            throw new IOException("could not start the S3 API server on port " + port + ": " + e.getMessage(), e);
        }
        return new EmbeddedObjectStore(proxy, context);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    @Override
    public void close() throws IOException {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IOException("could not stop the S3 API server: " + e.getMessage(), e);
        } finally {
            context.close();
        }
    }
}
