package io.starconsole.deploy;

import io.starconsole.deploy.TerraformSources.Block;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The edge's image as Jib writes it with {@code -Pimage-tar} ({@code udp-edge/target/udp-edge-image.tar},
 * docker-load format): its entrypoint runs Quarkus's fast jar, it exposes the boxes' UDP port and the
 * health port that terraform/modules/edge wires to the load balancer, it runs as the user the ECS
 * task's key writer hands the key directory to, and its layers are Quarkus's layout, not Jib's
 * class-path one. Where the profile was not run, a printed notice and a skip.
 */
class EdgeImageTarTest {

    private static final Path TAR = Path.of(System.getProperty("edge.image.tar", "../udp-edge/target/udp-edge-image.tar")).normalize();

    private static String manifest;
    private static String config;

    private final TerraformSources sources = TerraformSources.fromSystemProperty();

    @BeforeAll
    static void readManifestAndConfig() throws IOException {
        if (!Files.isRegularFile(TAR)) {
            System.out.println("NOTICE: " + TAR + " is not there (build it with: mvn -B -pl udp-edge -am package -Pimage-tar -DskipTests): the image checks are skipped");
            return;
        }
        Map<String, byte[]> top = entries(TAR, name -> name.endsWith(".json"));
        manifest = new String(top.get("manifest.json"), StandardCharsets.UTF_8);
        config = new String(top.get(string(manifest, "Config")), StandardCharsets.UTF_8);
        System.out.println(TAR + ": " + Files.size(TAR) + " bytes; manifest " + manifest);
    }

    @Test
    void manifest_namesTheEdgeImage_withItsLayers() {
        assumeTrue(manifest != null, "no image tar");
        assertThat(manifest).contains("\"star-console/udp-edge:");
        assertThat(layers()).hasSizeGreaterThanOrEqualTo(4); // the base image's, then Jib's
    }

    @Test
    void config_runsTheFastJar_exposesTheTerraformPorts_asTheTerraformUser() {
        assumeTrue(config != null, "no image tar");
        String compact = config.replaceAll("\\s", "");
        Path edge = sources.module("edge");
        String udpPort = defaultOf(sources.block(edge, "variable", "udp_port"));
        String healthPort = defaultOf(sources.block(edge, "variable", "health_port"));
        String user = defaultOf(sources.block(edge, "variable", "edge_user_id"));

        assertThat(compact).containsPattern("\"Entrypoint\":\\[\"java\",[^\\]]*\"-jar\",\"/deployments/quarkus-run\\.jar\"\\]");
        assertThat(compact).contains("\"" + udpPort + "/udp\":{}", "\"" + healthPort + "/tcp\":{}");
        assertThat(compact).contains("\"User\":\"" + user + "\"", "\"WorkingDir\":\"/deployments\"");
        assertThat(compact).contains("\"os\":\"linux\"", "\"architecture\":\"amd64\""); // Fargate's X86_64 (runtime_platform)
    }

    @Test
    void jibLayers_areQuarkusFastJar_applicationLast_withoutJibsClassPathLayout() throws IOException {
        assumeTrue(manifest != null, "no image tar");
        List<String> layers = layers();
        int jibLayers = count(config, "\"author\":\"Jib\"") + count(config, "\"author\": \"Jib\"");
        assertThat(jibLayers).isBetween(1, layers.size() - 1);
        List<String> own = layers.subList(layers.size() - jibLayers, layers.size());
        Map<String, byte[]> blobs = entries(TAR, own::contains);

        Set<String> all = new LinkedHashSet<>();
        for (String layer : own) {
            all.addAll(files(blobs.get(layer)));
        }
        assertThat(all).contains("deployments/quarkus-run.jar", "deployments/quarkus/quarkus-application.dat");
        assertThat(all).anyMatch(f -> f.matches("deployments/app/udp-edge-.+\\.jar"));
        assertThat(all).anyMatch(f -> f.startsWith("deployments/lib/main/") && f.endsWith(".jar"));
        assertThat(all).as("Jib's own /app class-path layout is filtered out").noneMatch(f -> f.startsWith("app/"));
        List<String> last = files(blobs.get(own.get(own.size() - 1)));
        assertThat(last).as("the application (what changes every build) is the top layer")
                .contains("deployments/quarkus-run.jar").noneMatch(f -> f.startsWith("deployments/lib/"));
        System.out.println("image layers: " + layers.size() + " (" + jibLayers + " from Jib, " + all.size() + " entries in them)");
    }

    private static List<String> layers() {
        Matcher list = Pattern.compile("\"Layers\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(manifest);
        assertThat(list.find()).as("Layers in " + manifest).isTrue();
        List<String> names = new ArrayList<>();
        Matcher name = Pattern.compile("\"([^\"]+)\"").matcher(list.group(1));
        while (name.find()) {
            names.add(name.group(1));
        }
        return names;
    }

    private static String defaultOf(Block variable) {
        Matcher m = Pattern.compile("^  default\\s*=\\s*(\\d+)", Pattern.MULTILINE).matcher(variable.body());
        assertThat(m.find()).as("a numeric default in " + variable.name()).isTrue();
        return m.group(1);
    }

    private static String string(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        assertThat(m.find()).as(key + " in " + json).isTrue();
        return m.group(1);
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    // --- a tar reader (ustar, with PAX and GNU long names), enough for docker-save archives ---------

    private static Map<String, byte[]> entries(Path tar, Predicate<String> wanted) throws IOException {
        Map<String, byte[]> found = new HashMap<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tar))) {
            read(in, wanted, found::put);
        }
        return found;
    }

    private static List<String> files(byte[] layer) throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(layer))) {
            read(in, name -> {
                names.add(name.startsWith("./") ? name.substring(2) : name);
                return false;
            }, (name, content) -> { });
        }
        return names;
    }

    /** Every entry's name goes to {@code wanted}; the content of those it accepts, to {@code sink}. */
    private static void read(InputStream in, Predicate<String> wanted, java.util.function.BiConsumer<String, byte[]> sink) throws IOException {
        String longName = null;
        while (true) {
            byte[] header = in.readNBytes(512);
            if (header.length < 512 || isZero(header)) {
                return;
            }
            String name = text(header, 0, 100);
            String prefix = text(header, 345, 155);
            if (!prefix.isEmpty() && text(header, 257, 6).startsWith("ustar")) {
                name = prefix + "/" + name;
            }
            String octal = text(header, 124, 12).trim();
            long size = octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
            char type = (char) header[156];
            long padded = size + (512 - size % 512) % 512;
            if (type == 'x' || type == 'L') {
                byte[] meta = in.readNBytes((int) size);
                in.skipNBytes(padded - size);
                String text = new String(meta, StandardCharsets.UTF_8);
                if (type == 'L') {
                    longName = text.replace("\0", "");
                } else {
                    Matcher path = Pattern.compile("\\d+ path=([^\\n]*)\\n").matcher(text);
                    longName = path.find() ? path.group(1) : longName;
                }
                continue;
            }
            if (longName != null) {
                name = longName;
                longName = null;
            }
            if (type != 'g' && wanted.test(name) && (type == '0' || type == '\0')) {
                sink.accept(name, in.readNBytes((int) size));
                in.skipNBytes(padded - size);
            } else {
                in.skipNBytes(padded);
            }
        }
    }

    private static String text(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
