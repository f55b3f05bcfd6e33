/**
 * The HTTP side shared by all resources: input checks, paging, the viewer's files and the OpenAPI
 * document. The annotation below is what the document says of the API as a whole: its title, the
 * one way callers authenticate and the one error shape. The document is made from the resources at
 * build time (smallrye-open-api-maven-plugin in the functions' pom, which reads this annotation on a
 * package) and served by {@link io.starconsole.functions.web.OpenApiDocumentRoute}.
 * <p>
 * The scheme is declared as OAuth2 only for the scan: the scanner lists each call's
 * {@code @RolesAllowed} roles in its security requirement for OAuth2 and OpenID Connect schemes
 * alone; {@link io.starconsole.functions.web.OpenApiDocumentFilter} then makes it the HTTP bearer
 * scheme it is, so the document says both how to authenticate and which role each call needs.
 */
@OpenAPIDefinition(
        info = @Info(title = "Star Console API", version = "1",
                description = "Control plane for a fleet of SPNBoxes."),
        components = @Components(
                securitySchemes = @SecurityScheme(securitySchemeName = OpenApiDocumentFilter.BEARER_SCHEME,
                        type = SecuritySchemeType.OAUTH2,
                        description = "An operator's token from POST /api/v1/auth/login; on /internal/ the"
                                + " edges' shared secret. Each call's requirement names the roles it allows."),
                schemas = @Schema(name = OpenApiDocumentFilter.ERROR_SCHEMA, implementation = ErrorBody.class)))
package io.starconsole.functions.web;

import io.starconsole.functions.error.ErrorBody;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
