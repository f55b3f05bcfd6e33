package io.starconsole.functions.accounts;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.starconsole.functions.audit.AuditLog;
import io.starconsole.functions.auth.Hashes;
import io.starconsole.functions.auth.PasswordHasher;
import io.starconsole.functions.error.ApiException;
import io.starconsole.functions.web.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Account management for admins, and a password change for every account. Passwords are hashed
 * with Argon2id on worker threads; a changed password, role or a disabled account loses its tokens.
 * The audit log records every change, never a password.
 */
@ApplicationScoped
public class AccountService {

    static final int MIN_PASSWORD = 12;
    static final int MAX_PASSWORD = 128;
    static final Set<String> ROLES = Set.of("admin", "operator", "viewer");
    /** The admins table's check constraint. */
    private static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9._@-]{1,64}$");

    private final AccountRepository accounts;
    private final PasswordHasher hasher;
    private final AuditLog audit;

    public AccountService(AccountRepository accounts, PasswordHasher hasher, AuditLog audit) {
        this.accounts = accounts;
        this.hasher = hasher;
        this.audit = audit;
    }

    public record NewAccount(String username, String password, String role) {
    }

    public record Change(String role, Boolean disabled, String password) {
    }

    public record PasswordChange(String current, String next) {
    }

    public Uni<List<Account>> list() {
        return accounts.list();
    }

    public Uni<Account> create(NewAccount request, Caller caller) {
        if (request == null || request.username() == null || !USERNAME.matcher(request.username()).matches()) {
            throw ApiException.badField("username", "username must be 1 to 64 letters, digits or . _ @ -");
        }
        checkPassword("password", request.password());
        checkRole(request.role());
        return hash(request.password())
                .flatMap(hash -> accounts.insert(request.username(), hash, request.role()))
                .call(account -> audit.record(caller.actor(), "account.created", account.username(),
                        Map.of("role", account.role()), caller.source()));
    }

    public Uni<Account> change(int id, Change request, Caller caller) {
        if (request == null || (request.role() == null && request.disabled() == null && request.password() == null)) {
            throw ApiException.badField("role", "give at least one of role, disabled, password");
        }
        if (request.role() != null) {
            checkRole(request.role());
        }
        if (request.password() != null) {
            checkPassword("password", request.password());
        }
        Uni<String> hash = request.password() == null ? Uni.createFrom().nullItem() : hash(request.password());
        return hash.flatMap(passwordHash -> accounts.withAdminsLocked(id, locked -> {
            Account account = locked.account();
            boolean demoted = request.role() != null && !request.role().equals(account.role());
            boolean disabling = Boolean.TRUE.equals(request.disabled()) && !account.disabled();
            if ((demoted || disabling) && account.username().equals(caller.actor())) {
                throw ApiException.conflict("self", "you cannot disable yourself or change your own role");
            }
            boolean losesAdmin = account.isEnabledAdmin() && (disabling || demoted);
            if (losesAdmin && locked.enabledAdmins() <= 1) {
                throw ApiException.conflict("last_admin", "this is the last enabled admin");
            }
            boolean revoke = demoted || disabling || passwordHash != null;
            return locked.update(request.role(), request.disabled(), passwordHash)
                    .flatMap(v -> revoke ? locked.revokeTokens() : Uni.createFrom().voidItem())
                    .flatMap(v -> audit.record(caller.actor(), "account.changed", account.username(),
                            changes(request), caller.source()));
        })).flatMap(v -> accounts.find(id));
    }

    public Uni<Void> delete(int id, Caller caller) {
        return accounts.withAdminsLocked(id, locked -> {
            Account account = locked.account();
            if (account.username().equals(caller.actor())) {
                throw ApiException.conflict("self", "you cannot delete yourself");
            }
            if (account.isEnabledAdmin() && locked.enabledAdmins() <= 1) {
                throw ApiException.conflict("last_admin", "this is the last enabled admin");
            }
            return locked.delete().flatMap(v -> audit.record(caller.actor(), "account.deleted", account.username(),
                    Map.of("role", account.role()), caller.source()));
        });
    }

    /** The caller's own password; their other tokens are revoked, the one in use is kept. */
    public Uni<Void> changeOwnPassword(PasswordChange request, String currentToken, Caller caller) {
        if (request == null || request.current() == null || request.current().isEmpty()) {
            throw ApiException.badField("current", "current is required");
        }
        checkPassword("new", request.next());
        return accounts.findByUsername(caller.actor()).flatMap(account -> accounts.passwordHash(account.id())
                .flatMap(stored -> Uni.createFrom().item(() -> hasher.verify(request.current(), stored)
                                ? hasher.hash(request.next()) : null)
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .flatMap(hash -> {
                    if (hash == null) {
                        return audit.record(caller.actor(), "password.change_refused", caller.actor(), null,
                                        caller.source())
                                .onItem().failWith(v -> new ApiException(Response.Status.FORBIDDEN, "wrong_password",
                                        "the current password is wrong", "current"));
                    }
                    return accounts.changeOwnPassword(account.id(), hash, Hashes.sha256(currentToken))
                            .flatMap(v -> audit.record(caller.actor(), "password.changed", caller.actor(), null,
                                    caller.source()));
                }));
    }

    private Uni<String> hash(String password) {
        return Uni.createFrom().item(() -> hasher.hash(password)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static Map<String, Object> changes(Change request) {
        Map<String, Object> detail = new LinkedHashMap<>();
        if (request.role() != null) {
            detail.put("role", request.role());
        }
        if (request.disabled() != null) {
            detail.put("disabled", request.disabled());
        }
        if (request.password() != null) {
            detail.put("password", "changed");
        }
        return detail;
    }

    private static void checkPassword(String field, String password) {
        if (password == null || password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            throw ApiException.badField(field, field + " must be " + MIN_PASSWORD + " to " + MAX_PASSWORD
                    + " characters");
        }
    }

    private static void checkRole(String role) {
        if (role == null || !ROLES.contains(role)) {
            throw ApiException.badField("role", "role must be admin, operator or viewer");
        }
    }
}
