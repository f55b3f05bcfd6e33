package io.starconsole.functions.web;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Serves the viewer's static files from a directory, for the local console and self-hosting
 * ({@code star-console.web.directory}). On AWS the viewer comes from S3 and CloudFront and this
 * stays off. API and management paths are never shadowed by a file.
 */
public class ViewerRoute {

    private static final Logger LOG = Logger.getLogger(ViewerRoute.class);

    void register(@Observes Router router,
                  @ConfigProperty(name = "star-console.web.directory") Optional<String> directory) {
        if (directory.isEmpty()) {
            return;
        }
        Path root = Path.of(directory.get()).toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            LOG.warnf("viewer directory %s does not exist; the viewer is not served", root);
            return;
        }
        StaticHandler files = StaticHandler.create(FileSystemAccess.ROOT, root.toString())
                .setIndexPage("index.html")
                .setCachingEnabled(false);
        router.routeWithRegex("^/(?!api/|q/).*").handler(files);
        LOG.infof("serving the viewer from %s", root);
    }
}
