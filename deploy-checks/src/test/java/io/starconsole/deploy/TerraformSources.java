package io.starconsole.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The top-level blocks of the Terraform files, read as text. `terraform fmt` (checked in
 * {@link TerraformCliTest}) puts every top-level block's opening line and closing brace at column 0,
 * which is all this reader relies on.
 */
record TerraformSources(Path directory) {

    private static final Pattern BLOCK_START = Pattern.compile("^(\\w+)((?: \"[^\"]*\")*) \\{$");
    private static final Pattern LABEL = Pattern.compile("\"([^\"]*)\"");

    /** One top-level block: its type ("resource"), labels ("aws_lambda_function", "api") and body. */
    record Block(Path file, String type, List<String> labels, String body) {
        String name() {
            return type + " " + String.join(".", labels);
        }

        boolean has(String regex) {
            return Pattern.compile(regex, Pattern.MULTILINE).matcher(body).find();
        }
    }

    static TerraformSources fromSystemProperty() {
        return new TerraformSources(Path.of(System.getProperty("terraform.directory", "../terraform")).normalize());
    }

    Path module(String name) {
        return directory.resolve("modules").resolve(name);
    }

    List<Path> modules() {
        try (Stream<Path> dirs = Files.list(directory.resolve("modules"))) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Path> terraformFiles() {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(f -> f.toString().endsWith(".tf"))
                    .filter(f -> !f.toString().contains("/.terraform/"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Block> blocks() {
        List<Block> blocks = new ArrayList<>();
        for (Path file : terraformFiles()) {
            blocks.addAll(blocksOf(file));
        }
        return blocks;
    }

    List<Block> blocksIn(Path moduleDirectory) {
        return blocks().stream().filter(b -> b.file().getParent().equals(moduleDirectory)).toList();
    }

    Block block(Path moduleDirectory, String type, String... labels) {
        return blocksIn(moduleDirectory).stream()
                .filter(b -> b.type().equals(type) && b.labels().equals(List.of(labels)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " " + String.join(".", labels) + " in " + moduleDirectory));
    }

    static List<Block> blocksOf(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher start = BLOCK_START.matcher(lines.get(i));
            if (!start.matches()) {
                continue;
            }
            List<String> labels = new ArrayList<>();
            Matcher label = LABEL.matcher(start.group(2));
            while (label.find()) {
                labels.add(label.group(1));
            }
            StringBuilder body = new StringBuilder();
            int j = i + 1;
            while (j < lines.size() && !lines.get(j).equals("}")) {
                body.append(lines.get(j)).append('\n');
                j++;
            }
            blocks.add(new Block(file, start.group(1), List.copyOf(labels), body.toString()));
            i = j;
        }
        return blocks;
    }
}
