package io.starconsole.functions.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns a bearer token into the operator it was issued to, with the roles of that operator's role. */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    /** Identity attribute: the database id of the operator. */
    public static final String ADMIN_ID = "star-console.admin-id";

    private final TokenRepository tokens;

    public TokenIdentityProvider(TokenRepository tokens) {
        this.tokens = tokens;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String token = request.getToken().getToken();
        if (!token.startsWith(LoginService.TOKEN_PREFIX)) {
            return Uni.createFrom().failure(new AuthenticationFailedException());
        }
        return tokens.findValid(LoginService.hashToken(token)).onItem().transform(owner -> {
            if (owner == null) {
                throw new AuthenticationFailedException();
            }
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(owner.username()))
                    .addRoles(owner.role().grantedRoles())
                    .addAttribute(ADMIN_ID, owner.adminId())
                    .addCredential(request.getToken())
                    .build();
        });
    }
}
