package io.starconsole.localcloud;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The one test resource every module's Quarkus tests use: a local cloud on free ports, started once
 * per test JVM and shared by all test classes (each test makes its own data), stopped at JVM exit.
 */
public class LocalCloudTestResource implements QuarkusTestResourceLifecycleManager {

    private static LocalCloud shared;

    /** The shared local cloud, started on first use. */
    public static synchronized LocalCloud sharedCloud() {
        if (shared == null) {
            try {
                LocalCloud cloud = LocalCloud.startDisposable("star-console-test-cloud");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        cloud.close();
                    } catch (IOException e) {
                        System.err.println("the tests' local cloud did not stop cleanly: " + e);
                    }
                }, "local-cloud-stop"));
                shared = cloud;
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the local cloud for tests", e);
            }
        }
        return shared;
    }

    @Override
    public Map<String, String> start() {
        return sharedCloud().functionsConfig();
    }

    @Override
    public void stop() {
        // Shared across test classes in this JVM: stopped by the shutdown hook, not per class.
    }
}
