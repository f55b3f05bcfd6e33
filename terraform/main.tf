# Star Console on AWS: the functions on Lambda behind an HTTP API, Aurora PostgreSQL Serverless v2
# behind an RDS Proxy, the UDP edge on ECS Fargate behind a Network Load Balancer, the firmware
# bucket, the viewer on S3 + CloudFront, alarms. See docs/deploy.md.

locals {
  name = "${var.name}-${var.environment}"

  # The API function may run this many copies at once: each holds up to functions_pool_size
  # connections to the proxy, and the proxy may hold proxy_connection_limit to the database.
  # (The proxy multiplexes, so this is conservative: a connection is only pinned for a transaction.)
  functions_reserved_concurrency = coalesce(
    var.functions_reserved_concurrency,
    floor(module.database.proxy_connection_limit / var.functions_pool_size),
  )
}

module "network" {
  source = "./modules/network"

  name                 = local.name
  cidr                 = var.vpc_cidr
  zone_count           = var.zone_count
  nat_gateway_per_zone = var.nat_gateway_per_zone
}

module "database" {
  source = "./modules/database"

  name                          = local.name
  vpc_id                        = module.network.vpc_id
  vpc_cidr                      = module.network.cidr
  subnet_ids                    = module.network.private_subnet_ids
  min_capacity                  = var.database_min_capacity
  max_capacity                  = var.database_max_capacity
  instance_count                = var.database_instance_count
  max_connections               = var.database_max_connections
  proxy_max_connections_percent = var.database_proxy_connections_percent
  backup_retention_days         = var.database_backup_retention_days
  deletion_protection           = var.protect_data
  final_snapshot                = var.protect_data
}

module "ota_bucket" {
  source = "./modules/ota_bucket"

  bucket_prefix   = "${local.name}-ota-"
  noncurrent_days = var.ota_noncurrent_days
  force_destroy   = !var.protect_data
}

module "edge" {
  source = "./modules/edge"

  name               = local.name
  vpc_id             = module.network.vpc_id
  vpc_cidr           = module.network.cidr
  public_subnet_ids  = module.network.public_subnet_ids
  private_subnet_ids = module.network.private_subnet_ids
  image              = var.edge_image
  private_key        = var.edge_private_key
  functions_url      = module.functions.api_url
  min_tasks          = var.edge_min_tasks
  max_tasks          = var.edge_max_tasks
  log_retention_days = var.log_retention_days
  force_destroy      = !var.protect_data
}

module "functions" {
  source = "./modules/functions"

  name                            = local.name
  zip_path                        = var.functions_zip
  memory_mb                       = var.functions_memory_mb
  reserved_concurrency            = local.functions_reserved_concurrency
  pool_size                       = var.functions_pool_size
  vpc_id                          = module.network.vpc_id
  subnet_ids                      = module.network.private_subnet_ids
  proxy_client_security_group_id  = module.database.proxy_client_security_group_id
  direct_client_security_group_id = module.database.direct_client_security_group_id
  database_proxy_endpoint         = module.database.proxy_endpoint
  database_writer_endpoint        = module.database.writer_endpoint
  database_name                   = module.database.database_name
  database_username               = module.database.username
  database_password               = module.database.password
  ota_bucket_name                 = module.ota_bucket.name
  ota_bucket_arn                  = module.ota_bucket.arn
  edge_secret                     = module.edge.secret
  first_admin_user                = var.first_admin_user
  allowed_origins                 = concat([module.web.origin], var.extra_cors_origins)
  throttle_rate                   = var.api_throttle_rate
  throttle_burst                  = var.api_throttle_burst
  log_retention_days              = var.log_retention_days
}

module "web" {
  source = "./modules/web"

  bucket_prefix    = "${local.name}-viewer-"
  source_directory = var.viewer_directory
  api_url          = module.functions.api_url
}

module "observability" {
  source = "./modules/observability"

  name                     = local.name
  alarm_emails             = var.alarm_emails
  api_function_name        = module.functions.api_function_name
  api_id                   = module.functions.api_id
  load_balancer_arn_suffix = module.edge.load_balancer_arn_suffix
  target_group_arn_suffix  = module.edge.target_group_arn_suffix
  edge_min_healthy         = var.edge_min_tasks
  database_cluster_id      = module.database.cluster_id
  database_max_connections = var.database_max_connections
  database_max_capacity    = var.database_max_capacity
}
