package io.starconsole.deploy;

import io.starconsole.deploy.TerraformSources.Block;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the Terraform must say, checked without a provider (which cannot be downloaded everywhere):
 * the module layout and conventions, and the deployment's load-bearing choices.
 */
class TerraformConventionsTest {

    private final TerraformSources sources = TerraformSources.fromSystemProperty();

    @Test
    void layout_hasTheSevenModules_eachWithItsFiles() {
        assertThat(sources.modules()).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder("network", "database", "functions", "edge", "ota_bucket", "web", "observability");
        for (Path dir : concat(sources.modules(), sources.directory())) {
            for (String file : List.of("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md")) {
                assertThat(dir.resolve(file)).as(dir + "/" + file).isRegularFile();
            }
        }
        assertThat(sources.directory().resolve("terraform.tfvars.example")).isRegularFile();
    }

    @Test
    void everyVariableAndOutput_hasADescription() {
        List<String> undescribed = sources.blocks().stream()
                .filter(b -> b.type().equals("variable") || b.type().equals("output"))
                .filter(b -> !b.has("^  description\\s*=\\s*\"\\S"))
                .map(b -> b.file() + ": " + b.name())
                .toList();
        assertThat(undescribed).isEmpty();
    }

    @Test
    void versions_pinTerraformAndEveryProviderToAMajorVersion() throws Exception {
        for (Path dir : concat(sources.modules(), sources.directory())) {
            String versions = Files.readString(dir.resolve("versions.tf"));
            assertThat(versions).as(dir + "/versions.tf").contains("required_version = \">= 1.6\"");
            assertThat(versions).contains("source  = \"hashicorp/aws\"");
            assertThat(versions.lines().filter(l -> l.trim().startsWith("version")))
                    .isNotEmpty()
                    .allMatch(l -> l.matches("\\s*version\\s*=\\s*\"~> \\d+\\.0\""), "a ~> N.0 constraint");
        }
    }

    @Test
    void names_areSnakeCase_withoutNullResourcesOrCorsWildcards() throws Exception {
        for (Block block : sources.blocks()) {
            for (String label : block.labels()) {
                assertThat(label).as(block.file() + ": " + block.name()).matches("[a-z0-9_]+");
            }
            assertThat(block.labels()).as("null_resource + curl is not how this deploys").doesNotContain("null_resource");
        }
        for (Path file : sources.terraformFiles()) {
            assertThat(Files.readString(file)).as(file.toString()).doesNotContainPattern("allow_origins\\s*=\\s*\\[\\s*\"\\*\"");
        }
    }

    @Test
    void functions_migrationsRunBeforeTheApiVersionTakesTraffic() {
        Path functions = sources.module("functions");
        Block migrate = sources.block(functions, "resource", "aws_lambda_function", "migrate");
        Block invocation = sources.block(functions, "resource", "aws_lambda_invocation", "migrate");
        Block api = sources.block(functions, "resource", "aws_lambda_function", "api");
        Block alias = sources.block(functions, "resource", "aws_lambda_alias", "live");
        Block integration = sources.block(functions, "resource", "aws_apigatewayv2_integration", "api");

        assertThat(migrate.has("STAR_CONSOLE_MIGRATE_AT_START\\s*=\\s*\"true\"")).isTrue();
        assertThat(migrate.has("snap_start")).as("a snapshot would migrate at publish time").isFalse();
        assertThat(invocation.has("function_name\\s*=\\s*aws_lambda_function\\.migrate\\.function_name")).isTrue();
        assertThat(api.has("depends_on\\s*=\\s*\\[[^\\]]*aws_lambda_invocation\\.migrate")).isTrue();
        assertThat(api.has("STAR_CONSOLE_MIGRATE_AT_START\\s*=\\s*\"false\"")).isTrue();
        assertThat(api.has("publish\\s*=\\s*true")).isTrue();
        assertThat(api.has("apply_on\\s*=\\s*\"PublishedVersions\"")).as("SnapStart").isTrue();
        assertThat(api.has("runtime\\s*=\\s*\"java21\"")).isTrue();
        assertThat(api.has("reserved_concurrent_executions\\s*=\\s*var\\.reserved_concurrency")).isTrue();
        assertThat(alias.has("function_version\\s*=\\s*aws_lambda_function\\.api\\.version")).isTrue();
        assertThat(integration.has("integration_uri\\s*=\\s*aws_lambda_alias\\.live\\.invoke_arn")).isTrue();
    }

    @Test
    void functions_presenceJobsAreOff_andHousekeepingIsScheduledWithTheEdgeCredential() {
        Path functions = sources.module("functions");
        String main = String.join("\n", sources.blocksIn(functions).stream().map(Block::body).toList());
        assertThat(main).contains("STAR_CONSOLE_PRESENCE_JOBS_ENABLED = \"false\"");
        Block connection = sources.block(functions, "resource", "aws_cloudwatch_event_connection", "housekeeping");
        assertThat(connection.has("value\\s*=\\s*\"Bearer \\$\\{var\\.edge_secret\\}\"")).isTrue();
        Block destination = sources.block(functions, "resource", "aws_cloudwatch_event_api_destination", "housekeeping");
        assertThat(destination.has("/internal/v1/housekeeping\"")).isTrue();
        assertThat(destination.has("http_method\\s*=\\s*\"POST\"")).isTrue();
    }

    @Test
    void edge_isAUdpListenerOn31902_healthCheckedOnTheHttpPort_inTwoOrMoreTasks() {
        Path edge = sources.module("edge");
        assertThat(sources.block(edge, "resource", "aws_lb", "this").has("load_balancer_type\\s*=\\s*\"network\"")).isTrue();
        assertThat(sources.block(edge, "resource", "aws_lb_listener", "this").has("protocol\\s*=\\s*\"UDP\"")).isTrue();
        Block targets = sources.block(edge, "resource", "aws_lb_target_group", "this");
        assertThat(targets.has("path\\s*=\\s*\"/q/health/ready\"")).isTrue();
        assertThat(targets.has("port\\s*=\\s*tostring\\(var\\.health_port\\)")).isTrue();
        assertThat(sources.block(edge, "variable", "udp_port").has("default\\s*=\\s*31902")).isTrue();
        assertThat(sources.block(edge, "variable", "health_port").has("default\\s*=\\s*8081")).isTrue();
        assertThat(sources.block(edge, "variable", "min_tasks").has("var\\.min_tasks >= 2")).isTrue();
        Block task = sources.block(edge, "resource", "aws_ecs_task_definition", "this");
        assertThat(task.has("name = \"STAR_CONSOLE_EDGE_SECRET\", valueFrom = aws_secretsmanager_secret\\.secret\\.arn")).isTrue();
    }

    @Test
    void edge_heapIsMostOfTheTasksMemory_notTheJvmsDefaultQuarter() {
        Path edge = sources.module("edge");
        Block task = sources.block(edge, "resource", "aws_ecs_task_definition", "this");
        assertThat(task.has("name = \"JAVA_TOOL_OPTIONS\", value = \"-XX:MaxRAMPercentage=\\$\\{var\\.heap_percent\\}\"")).isTrue();
        Block heap = sources.block(edge, "variable", "heap_percent");
        assertThat(heap.has("default\\s*=\\s*75")).isTrue();
        assertThat(heap.has("var\\.heap_percent >= 25 && var\\.heap_percent <= 85")).isTrue();
    }

    @Test
    void database_requiresTls_vacuumsOften_keepsBackups_andSitsBehindAProxy() {
        Path database = sources.module("database");
        Block clusterParameters = sources.block(database, "resource", "aws_rds_cluster_parameter_group", "this");
        assertThat(clusterParameters.has("name\\s*=\\s*\"rds.force_ssl\"\\s*\\n\\s*value\\s*=\\s*\"1\"")).isTrue();
        // The queue's tables vacuum after a fixed number of changes (schema V11): autovacuum must look often.
        assertThat(clusterParameters.has("name\\s*=\\s*\"autovacuum_naptime\"\\s*\\n\\s*value\\s*=\\s*\"1\"")).isTrue();
        Block cluster = sources.block(database, "resource", "aws_rds_cluster", "this");
        assertThat(cluster.has("storage_encrypted\\s*=\\s*true")).isTrue();
        assertThat(cluster.has("serverlessv2_scaling_configuration")).isTrue();
        assertThat(sources.block(database, "variable", "backup_retention_days").has(">= 1")).isTrue();
        assertThat(sources.block(database, "resource", "aws_db_proxy", "this").has("require_tls\\s*=\\s*true")).isTrue();
    }

    @Test
    void otaBucket_isPrivateVersionedEncrypted_withLifecycle_andPresignedReadsOnly() throws Exception {
        Path bucket = sources.module("ota_bucket");
        Block publicAccess = sources.block(bucket, "resource", "aws_s3_bucket_public_access_block", "this");
        for (String setting : List.of("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")) {
            assertThat(publicAccess.has(setting + "\\s*=\\s*true")).as(setting).isTrue();
        }
        assertThat(sources.block(bucket, "resource", "aws_s3_bucket_versioning", "this").has("status\\s*=\\s*\"Enabled\"")).isTrue();
        assertThat(sources.block(bucket, "resource", "aws_s3_bucket_server_side_encryption_configuration", "this").has("sse_algorithm")).isTrue();
        assertThat(sources.block(bucket, "resource", "aws_s3_bucket_lifecycle_configuration", "this").has("noncurrent_version_expiration")).isTrue();
        String policy = Files.readString(bucket.resolve("bucket-policy.json.tftpl"));
        assertThat(policy).contains("\"s3:authType\": \"REST-QUERY-STRING\"", "\"aws:SecureTransport\": \"false\"", "s3:signatureAge");
    }

    @Test
    void web_isServedThroughOriginAccessControl_withTheApiUrlRendered() throws Exception {
        Path web = sources.module("web");
        assertThat(sources.block(web, "resource", "aws_cloudfront_distribution", "this").has("origin_access_control_id")).isTrue();
        assertThat(sources.block(web, "resource", "aws_s3_object", "config").has("templatefile\\(.*api_base = var\\.api_url")).isTrue();
        assertThat(Files.readString(web.resolve("config.js.tftpl"))).contains("window.STAR_CONSOLE_CONFIG = { apiBase: ${jsonencode(api_base)} };");
    }

    @Test
    void root_outputsWhatAnOperatorNeeds() {
        List<String> outputs = sources.blocksIn(sources.directory()).stream()
                .filter(b -> b.type().equals("output")).map(b -> b.labels().get(0)).toList();
        assertThat(outputs).contains("viewer_url", "api_url", "edge_address", "ota_bucket");
    }

    /**
     * terraform/VERIFIED.md records the provider documentation each resource and data source type
     * was checked against (the provider cannot be downloaded everywhere, so validate cannot run
     * everywhere): a type used without a row there has not been checked.
     */
    @Test
    void everyResourceAndDataSourceType_hasARowInVerifiedMd() throws Exception {
        Path record = sources.directory().resolve("VERIFIED.md");
        assertThat(record).isRegularFile();
        java.util.Set<String> recorded = new java.util.TreeSet<>();
        java.util.regex.Matcher row = java.util.regex.Pattern.compile("^\\| `([a-z0-9_]+)` \\|", java.util.regex.Pattern.MULTILINE)
                .matcher(Files.readString(record));
        while (row.find()) {
            recorded.add(row.group(1));
        }
        // Read from the files rather than from sources.blocks(): one-line blocks such as
        // `data "aws_region" "this" {}` count too.
        java.util.Set<String> types = new java.util.TreeSet<>();
        java.util.regex.Pattern declaration = java.util.regex.Pattern.compile("^(?:resource|data) \"([a-z0-9_]+)\"", java.util.regex.Pattern.MULTILINE);
        for (Path file : sources.terraformFiles()) {
            java.util.regex.Matcher m = declaration.matcher(Files.readString(file));
            while (m.find()) {
                types.add(m.group(1));
            }
        }
        List<String> used = List.copyOf(types);
        assertThat(used).as("resource and data types in terraform/").isNotEmpty()
                .anyMatch(type -> type.startsWith("aws_"));
        List<String> unrecorded = used.stream().filter(type -> !recorded.contains(type)).toList();
        assertThat(unrecorded).as("types used in terraform/**/*.tf without a row in terraform/VERIFIED.md (check them against the provider docs, then add the row)")
                .isEmpty();
        System.out.println("terraform/VERIFIED.md covers all " + used.size() + " resource and data source types in use");
    }

    private static List<Path> concat(List<Path> modules, Path root) {
        return java.util.stream.Stream.concat(modules.stream(), java.util.stream.Stream.of(root)).toList();
    }
}
