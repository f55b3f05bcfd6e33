package io.starconsole.functions.web;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Completes the OpenAPI document while the build makes it (the functions' pom names this filter to
 * smallrye-open-api-maven-plugin; it never runs in the service): the refusals any call may get
 * besides its own answers, each with the API's one error body. A call that needs a token can be
 * refused with 401 (no valid token) or 403 (a role below the one it needs); one that takes a body or
 * parameters with 400. And the security scheme, declared as OAuth2 for the scan (see this package's
 * description), becomes the HTTP bearer scheme callers use.
 */
public class OpenApiDocumentFilter implements OASFilter {

    /** The error body's schema, declared with the document (package-info). */
    static final String ERROR_SCHEMA = "ErrorBody";
    /** The one security scheme, declared with the document (package-info). */
    static final String BEARER_SCHEME = "bearer";

    @Override
    public void filterOpenAPI(OpenAPI document) {
        SecurityScheme scheme = document.getComponents().getSecuritySchemes().get(BEARER_SCHEME);
        scheme.setType(SecurityScheme.Type.HTTP);
        scheme.setScheme("bearer");
        scheme.setFlows(null);
    }

    @Override
    public Operation filterOperation(Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        boolean takesInput = operation.getRequestBody() != null
                || (operation.getParameters() != null && !operation.getParameters().isEmpty());
        if (takesInput) {
            addRefusal(responses, "400", "Bad input; the error names the field and why");
        }
        if (operation.getSecurity() != null && !operation.getSecurity().isEmpty()) {
            addRefusal(responses, "401", "No valid bearer token: missing, expired or revoked");
            addRefusal(responses, "403", "The token's role is below the one this call needs");
        }
        return operation;
    }

    private static void addRefusal(APIResponses responses, String status, String description) {
        if (responses.hasAPIResponse(status)) {
            return;
        }
        responses.addAPIResponse(status, OASFactory.createAPIResponse()
                .description(description)
                .content(OASFactory.createContent().addMediaType("application/json",
                        OASFactory.createMediaType().schema(OASFactory.createSchema()
                                .ref(ERROR_SCHEMA)))));
    }
}
