# Aurora PostgreSQL Serverless v2 in private subnets, TLS required, encrypted, backed up; the master
# credential in Secrets Manager; an RDS Proxy in front for the functions (Lambda concurrency would
# otherwise exhaust the database's connections).

resource "random_password" "master" {
  length  = 32
  special = false
}

resource "aws_secretsmanager_secret" "master" {
  name_prefix             = "${var.name}-db-master-"
  description             = "Star Console database credential (used by the RDS Proxy and the migrations)"
  recovery_window_in_days = var.secret_recovery_days
}

resource "aws_secretsmanager_secret_version" "master" {
  secret_id = aws_secretsmanager_secret.master.id
  secret_string = jsonencode({
    username = var.master_username
    password = random_password.master.result
    engine   = "postgres"
    host     = aws_rds_cluster.this.endpoint
    port     = 5432
    dbname   = var.database_name
  })
}

resource "aws_db_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
}

# Clients: one group for what goes through the proxy (the API function), one for what needs a
# direct connection (migrations: Flyway's advisory lock pins a proxy connection anyway; LISTEN/NOTIFY
# from an edge would not work through the proxy at all).
resource "aws_security_group" "proxy_client" {
  name_prefix = "${var.name}-db-proxy-client-"
  description = "Members may connect to the database proxy"
  vpc_id      = var.vpc_id

  egress {
    description = "PostgreSQL inside the VPC"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }
}

resource "aws_security_group" "direct_client" {
  name_prefix = "${var.name}-db-direct-client-"
  description = "Members may connect to the database directly (migrations)"
  vpc_id      = var.vpc_id

  egress {
    description = "PostgreSQL inside the VPC"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }
}

resource "aws_security_group" "proxy" {
  name_prefix = "${var.name}-db-proxy-"
  description = "The RDS Proxy"
  vpc_id      = var.vpc_id

  ingress {
    description     = "From the proxy's clients"
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.proxy_client.id]
  }

  egress {
    description = "To the database"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }
}

resource "aws_security_group" "database" {
  name_prefix = "${var.name}-db-"
  description = "The Aurora cluster"
  vpc_id      = var.vpc_id

  ingress {
    description     = "From the proxy and the direct clients"
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.proxy.id, aws_security_group.direct_client.id]
  }
}

resource "aws_rds_cluster_parameter_group" "this" {
  name_prefix = "${var.name}-"
  family      = var.parameter_family
  description = "Star Console: TLS only; autovacuum looks every second"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  # The queue's tables are vacuumed after every 10,000 changed rows (schema V11); with the default
  # minute between autovacuum's looks, a minute of command churn would pile up in their indexes.
  parameter {
    name  = "autovacuum_naptime"
    value = "1"
  }

  lifecycle {
    create_before_destroy = true
  }
}

# max_connections is set, not derived from the ACU maximum, so the proxy's share and the functions'
# reserved concurrency can be sized against a known number (see docs/deploy.md).
resource "aws_db_parameter_group" "this" {
  name_prefix = "${var.name}-"
  family      = var.parameter_family
  description = "Star Console: a fixed connection limit"

  parameter {
    name         = "max_connections"
    value        = tostring(var.max_connections)
    apply_method = "pending-reboot"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_rds_cluster" "this" {
  cluster_identifier              = var.name
  engine                          = "aurora-postgresql"
  engine_mode                     = "provisioned"
  engine_version                  = var.engine_version
  database_name                   = var.database_name
  master_username                 = var.master_username
  master_password                 = random_password.master.result
  db_subnet_group_name            = aws_db_subnet_group.this.name
  vpc_security_group_ids          = [aws_security_group.database.id]
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.this.name
  storage_encrypted               = true
  backup_retention_period         = var.backup_retention_days
  preferred_backup_window         = "03:00-04:00"
  copy_tags_to_snapshot           = true
  deletion_protection             = var.deletion_protection
  skip_final_snapshot             = !var.final_snapshot
  final_snapshot_identifier       = var.final_snapshot ? "${var.name}-final" : null

  serverlessv2_scaling_configuration {
    min_capacity = var.min_capacity
    max_capacity = var.max_capacity
  }
}

resource "aws_rds_cluster_instance" "this" {
  count = var.instance_count

  identifier              = "${var.name}-${count.index}"
  cluster_identifier      = aws_rds_cluster.this.id
  instance_class          = "db.serverless"
  engine                  = aws_rds_cluster.this.engine
  engine_version          = aws_rds_cluster.this.engine_version
  db_parameter_group_name = aws_db_parameter_group.this.name
  publicly_accessible     = false
}

data "aws_iam_policy_document" "proxy_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["rds.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "proxy" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.master.arn]
  }
}

resource "aws_iam_role" "proxy" {
  name_prefix        = "${var.name}-db-proxy-"
  assume_role_policy = data.aws_iam_policy_document.proxy_assume.json
}

resource "aws_iam_role_policy" "proxy" {
  name   = "read-database-secret"
  role   = aws_iam_role.proxy.id
  policy = data.aws_iam_policy_document.proxy.json
}

resource "aws_db_proxy" "this" {
  name                   = var.name
  engine_family          = "POSTGRESQL"
  role_arn               = aws_iam_role.proxy.arn
  vpc_subnet_ids         = var.subnet_ids
  vpc_security_group_ids = [aws_security_group.proxy.id]
  require_tls            = true
  idle_client_timeout    = 1800

  auth {
    auth_scheme = "SECRETS"
    iam_auth    = "DISABLED"
    secret_arn  = aws_secretsmanager_secret.master.arn
  }

  depends_on = [aws_secretsmanager_secret_version.master]
}

resource "aws_db_proxy_default_target_group" "this" {
  db_proxy_name = aws_db_proxy.this.name

  connection_pool_config {
    max_connections_percent      = var.proxy_max_connections_percent
    max_idle_connections_percent = 50
    connection_borrow_timeout    = 30
  }

  # The provider docs: without this, a replaced proxy leaves these resources tracking the old one.
  lifecycle {
    replace_triggered_by = [aws_db_proxy.this.id]
  }
}

resource "aws_db_proxy_target" "this" {
  db_proxy_name         = aws_db_proxy.this.name
  target_group_name     = aws_db_proxy_default_target_group.this.name
  db_cluster_identifier = aws_rds_cluster.this.cluster_identifier

  depends_on = [aws_rds_cluster_instance.this]

  lifecycle {
    replace_triggered_by = [aws_db_proxy.this.id]
  }
}
