# The UDP edge on ECS Fargate behind a Network Load Balancer: UDP 31902 for the boxes, health
# checked over HTTP on the edge's management port. At least two tasks, spread over the zones of
# the private subnets. Every task uses the same key pair (boxes trust one edge public key).

data "aws_region" "this" {}

locals {
  key_directory = "/deployments/edge-keys"
}

# ---------------------------------------------------------------------------------------------
# Credentials: the Bearer secret the edge presents to /internal, and the edge's private key.

resource "random_password" "secret" {
  length  = 48
  special = false
}

resource "aws_secretsmanager_secret" "secret" {
  name_prefix             = "${var.name}-edge-secret-"
  description             = "Bearer secret of the Star Console edges on the functions' /internal API"
  recovery_window_in_days = var.secret_recovery_days
}

resource "aws_secretsmanager_secret_version" "secret" {
  secret_id     = aws_secretsmanager_secret.secret.id
  secret_string = random_password.secret.result
}

resource "aws_secretsmanager_secret" "private_key" {
  name_prefix             = "${var.name}-edge-private-key-"
  description             = "X25519 private key (base64) shared by every Star Console edge task"
  recovery_window_in_days = var.secret_recovery_days
}

resource "aws_secretsmanager_secret_version" "private_key" {
  secret_id     = aws_secretsmanager_secret.private_key.id
  secret_string = var.private_key
}

# ---------------------------------------------------------------------------------------------
# Image repository (the Jib build pushes here) and logs.

resource "aws_ecr_repository" "this" {
  name                 = "${var.name}/udp-edge"
  image_tag_mutability = "IMMUTABLE"
  force_delete         = var.force_destroy

  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_ecr_lifecycle_policy" "this" {
  repository = aws_ecr_repository.this.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the last 20 images"
      selection = {
        tagStatus   = "any"
        countType   = "imageCountMoreThan"
        countNumber = 20
      }
      action = { type = "expire" }
    }]
  })
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/ecs/${var.name}-edge"
  retention_in_days = var.log_retention_days
}

# ---------------------------------------------------------------------------------------------
# IAM: the execution role pulls the image, writes logs and reads the two secrets. The tasks
# themselves call no AWS API, so they get no task role.

data "aws_iam_policy_document" "tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid       = "PullToken"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
  statement {
    sid       = "PullImage"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
    resources = [aws_ecr_repository.this.arn]
  }
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }
  statement {
    sid       = "Secrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.secret.arn, aws_secretsmanager_secret.private_key.arn]
  }
}

resource "aws_iam_role" "execution" {
  name_prefix        = "${var.name}-edge-exec-"
  assume_role_policy = data.aws_iam_policy_document.tasks_assume.json
}

resource "aws_iam_role_policy" "execution" {
  name   = "edge-execution"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

# ---------------------------------------------------------------------------------------------
# Network

resource "aws_security_group" "tasks" {
  name_prefix = "${var.name}-edge-"
  description = "Star Console edge tasks"
  vpc_id      = var.vpc_id

  # The load balancer keeps the boxes' addresses (client IP preservation), so the boxes' UDP
  # arrives from anywhere.
  ingress {
    description = "JEDI/2 from the boxes"
    from_port   = var.udp_port
    to_port     = var.udp_port
    protocol    = "udp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "Health checks from the load balancer"
    from_port   = var.health_port
    to_port     = var.health_port
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }

  egress {
    description = "HTTPS to the functions' API, ECR, Secrets Manager, CloudWatch"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_lb" "this" {
  name                             = "${var.name}-edge"
  load_balancer_type               = "network"
  internal                         = false
  subnets                          = var.public_subnet_ids
  enable_cross_zone_load_balancing = true
}

resource "aws_lb_target_group" "this" {
  name                   = "${var.name}-edge"
  port                   = var.udp_port
  protocol               = "UDP"
  target_type            = "ip"
  vpc_id                 = var.vpc_id
  deregistration_delay   = 30
  connection_termination = true

  health_check {
    protocol            = "HTTP"
    port                = tostring(var.health_port)
    path                = "/q/health/ready"
    matcher             = "200"
    interval            = 10
    healthy_threshold   = 2
    unhealthy_threshold = 2
  }
}

resource "aws_lb_listener" "this" {
  load_balancer_arn = aws_lb.this.arn
  port              = var.udp_port
  protocol          = "UDP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }
}

# ---------------------------------------------------------------------------------------------
# Tasks

resource "aws_ecs_cluster" "this" {
  name = "${var.name}-edge"

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_ecs_task_definition" "this" {
  family                   = "${var.name}-edge"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory_mb
  execution_role_arn       = aws_iam_role.execution.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  # Shared by the key writer and the edge: the edge reads edge.key and writes edge.pub there.
  volume {
    name = "edge-keys"
  }

  container_definitions = jsonencode([
    {
      # Writes the shared private key from Secrets Manager into the key directory, then exits.
      # Not needed once the edge reads STAR_CONSOLE_EDGE_PRIVATE_KEY itself (docs/deploy.md).
      name        = "edge-key"
      image       = var.key_writer_image
      essential   = false
      entryPoint  = ["sh", "-c"]
      command     = ["umask 077 && printf '%s\\n' \"$EDGE_PRIVATE_KEY\" > ${local.key_directory}/edge.key && chown -R ${var.edge_user_id} ${local.key_directory}"]
      secrets     = [{ name = "EDGE_PRIVATE_KEY", valueFrom = aws_secretsmanager_secret.private_key.arn }]
      mountPoints = [{ sourceVolume = "edge-keys", containerPath = local.key_directory, readOnly = false }]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.this.name
          awslogs-region        = data.aws_region.this.name
          awslogs-stream-prefix = "edge-key"
        }
      }
    },
    {
      name      = "edge"
      image     = var.image
      essential = true
      dependsOn = [{ containerName = "edge-key", condition = "SUCCESS" }]
      portMappings = [
        { containerPort = var.udp_port, protocol = "udp" },
        { containerPort = var.health_port, protocol = "tcp" },
      ]
      environment = [
        { name = "STAR_CONSOLE_EDGE_FUNCTIONS_URL", value = var.functions_url },
        { name = "STAR_CONSOLE_EDGE_KEY_DIRECTORY", value = local.key_directory },
        { name = "STAR_CONSOLE_EDGE_UDP_PORT", value = tostring(var.udp_port) },
        { name = "QUARKUS_HTTP_PORT", value = tostring(var.health_port) },
        { name = "JAVA_TOOL_OPTIONS", value = "-XX:MaxRAMPercentage=${var.heap_percent}" },
      ]
      secrets = [
        { name = "STAR_CONSOLE_EDGE_SECRET", valueFrom = aws_secretsmanager_secret.secret.arn },
      ]
      mountPoints = [{ sourceVolume = "edge-keys", containerPath = local.key_directory, readOnly = false }]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.this.name
          awslogs-region        = data.aws_region.this.name
          awslogs-stream-prefix = "edge"
        }
      }
    },
  ])
}

resource "aws_ecs_service" "this" {
  name                               = "${var.name}-edge"
  cluster                            = aws_ecs_cluster.this.id
  task_definition                    = aws_ecs_task_definition.this.arn
  launch_type                        = "FARGATE"
  desired_count                      = var.min_tasks
  health_check_grace_period_seconds  = 60
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200

  # Fargate spreads the tasks over the subnets' zones.
  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.this.arn
    container_name   = "edge"
    container_port   = var.udp_port
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  lifecycle {
    ignore_changes = [desired_count] # owned by the autoscaling policy
  }

  depends_on = [aws_lb_listener.this, aws_secretsmanager_secret_version.secret, aws_secretsmanager_secret_version.private_key]
}

resource "aws_appautoscaling_target" "this" {
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.this.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.min_tasks
  max_capacity       = var.max_tasks
}

resource "aws_appautoscaling_policy" "cpu" {
  name               = "${var.name}-edge-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  resource_id        = aws_appautoscaling_target.this.resource_id
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.cpu_target_percent
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}
