package io.starconsole.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The terraform binary on terraform/: {@code fmt -check} always (it works offline); {@code init} and
 * {@code validate} where the providers can be installed. A machine that cannot download them
 * skips validate with a printed notice; any other init error fails.
 */
class TerraformCliTest {

    /** init's error headlines that only mean "the provider could not be downloaded". */
    static final Set<String> PROVIDER_UNAVAILABLE = Set.of(
            "Failed to query available provider packages",
            "Failed to install provider",
            "Failed to install provider from shared cache",
            "Failed to resolve provider packages");
    private static final Pattern ERROR_HEADLINE = Pattern.compile("^(?:│ )?Error: (.+)$", Pattern.MULTILINE);

    static Path terraform;
    static Path cliConfig;
    private final TerraformSources sources = TerraformSources.fromSystemProperty();

    @BeforeAll
    static void findTerraform(@TempDir Path temp) throws IOException {
        terraform = onPath("terraform").orElse(null);
        if (terraform == null) {
            System.out.println("NOTICE: no terraform binary on PATH: terraform fmt and validate are skipped");
        }
        cliConfig = Files.writeString(temp.resolve("terraformrc"), ""); // silences the missing ~/.terraformrc warning
    }

    @Test
    void fmt_check_recursive_isClean() throws Exception {
        assumeTrue(terraform != null, "no terraform binary");
        Result fmt = run(sources.directory(), "fmt", "-check", "-recursive", "-no-color", ".");
        System.out.println("terraform fmt -check -recursive: exit " + fmt.exit() + (fmt.output().isBlank() ? "" : "\n" + fmt.output()));
        assertThat(fmt.exit()).as("files terraform fmt would change:\n" + fmt.output()).isZero();
    }

    @Test
    void init_and_validate_pass_whereProvidersCanBeInstalled(@TempDir Path copy) throws Exception {
        assumeTrue(terraform != null, "no terraform binary");
        copyTree(sources.directory(), copy);
        Result init = run(copy, "init", "-backend=false", "-input=false", "-no-color");
        if (init.exit() != 0) {
            List<String> errors = headlines(init.output());
            assertThat(errors).as("terraform init failed:\n" + init.output()).isNotEmpty();
            assertThat(errors).as("terraform init failed for another reason than a provider download:\n" + init.output())
                    .allMatch(PROVIDER_UNAVAILABLE::contains);
            System.out.println("NOTICE: terraform validate skipped: the providers cannot be installed here (" + errors.stream().distinct().toList() + ")");
            assumeTrue(false, "providers cannot be installed here");
        }
        Result validate = run(copy, "validate", "-no-color");
        System.out.println("terraform validate: exit " + validate.exit() + "\n" + validate.output());
        assertThat(validate.exit()).as(validate.output()).isZero();
    }

    /**
     * The variables alone need no provider: each directory's {@code variables.tf}, copied into an
     * empty directory, must init and validate offline (types, defaults and every {@code validation}
     * expression), and a few values AWS would refuse at apply time must be refused at plan time.
     */
    @Test
    void variables_validateOffline_andRefuseWhatAwsWouldRefuse(@TempDir Path temp) throws Exception {
        assumeTrue(terraform != null, "no terraform binary");
        List<Path> directories = new ArrayList<>(sources.modules());
        directories.add(sources.directory());
        for (Path directory : directories) {
            Path copy = Files.createDirectories(temp.resolve(directory.getFileName().toString()));
            Files.copy(directory.resolve("variables.tf"), copy.resolve("variables.tf"));
            Result init = run(copy, "init", "-backend=false", "-input=false", "-no-color");
            assertThat(init.exit()).as(directory + ": terraform init of the variables alone\n" + init.output()).isZero();
            Result validate = run(copy, "validate", "-no-color");
            assertThat(validate.exit()).as(directory + "/variables.tf: terraform validate\n" + validate.output()).isZero();
        }
        Path root = temp.resolve(sources.directory().getFileName().toString());
        List<String> required = List.of("-var", "region=eu-west-1", "-var", "edge_image=example/udp-edge:1",
                "-var", "edge_private_key=" + "A".repeat(43) + "=");
        assertThat(plan(root, required).exit()).as("the root's defaults plan").isZero();
        for (String refused : List.of("log_retention_days=31", "database_max_capacity=4.25", "database_min_capacity=0.25",
                "database_backup_retention_days=0", "database_backup_retention_days=36", "zone_count=1", "edge_min_tasks=1",
                "functions_reserved_concurrency=0", "database_proxy_connections_percent=101")) {
            Result plan = plan(root, concatVars(required, refused));
            assertThat(plan.exit()).as(refused + " must be refused:\n" + plan.output()).isNotZero();
            assertThat(plan.output()).as(refused).contains("Invalid value for variable");
        }
        System.out.println("terraform validate of every variables.tf (offline): passed; 9 out-of-range values refused at plan time");
    }

    private static Result plan(Path directory, List<String> vars) throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of("plan", "-input=false", "-no-color", "-lock=false"));
        arguments.addAll(vars);
        return run(directory, arguments.toArray(String[]::new));
    }

    private static List<String> concatVars(List<String> vars, String assignment) {
        List<String> all = new ArrayList<>(vars);
        all.add("-var");
        all.add(assignment);
        return all;
    }

    static List<String> headlines(String output) {
        List<String> found = new ArrayList<>();
        Matcher m = ERROR_HEADLINE.matcher(output);
        while (m.find()) {
            found.add(m.group(1).trim());
        }
        return found;
    }

    @Test
    void headlines_ofAnUnrelatedError_areNotTakenForAMissingProvider() {
        String output = "Error: Failed to query available provider packages\n\nError: Unsupported argument\n";
        assertThat(headlines(output)).containsExactly("Failed to query available provider packages", "Unsupported argument");
        assertThat(headlines(output).stream().allMatch(PROVIDER_UNAVAILABLE::contains)).isFalse();
    }

    record Result(int exit, String output) {
    }

    private static Result run(Path directory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(terraform.toString());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().put("TF_CLI_CONFIG_FILE", cliConfig.toString());
        builder.environment().put("TF_IN_AUTOMATION", "1");
        builder.environment().put("CHECKPOINT_DISABLE", "1");
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("terraform " + String.join(" ", arguments) + " did not finish in 5 minutes");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator))
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.filter(p -> !p.toString().contains("/.terraform")).toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
