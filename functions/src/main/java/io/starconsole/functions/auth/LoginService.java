package io.starconsole.functions.auth;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.starconsole.functions.audit.AuditLog;
import io.starconsole.functions.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;

/** Password login, token issue and revocation. Hashing runs on worker threads, never the event loop. */
@ApplicationScoped
public class LoginService {

    static final String TOKEN_PREFIX = "sc_";
    private static final int TOKEN_SIZE_IN_BYTES = 32;
    private static final ApiException INVALID_CREDENTIALS = new ApiException(Response.Status.UNAUTHORIZED,
            "invalid_credentials", "wrong username or password", null);

    /** The window in which failed logins from one source address are counted. */
    static final Duration SOURCE_WINDOW = Duration.ofMinutes(15);
    /** Failed logins from one source within the window before further attempts are delayed. */
    static final int SOURCE_FAILURES_ALLOWED = 20;
    private static final Duration FIRST_SOURCE_DELAY = Duration.ofMinutes(1);

    private final AdminRepository admins;
    private final TokenRepository tokens;
    private final PasswordHasher hasher;
    private final AuditLog audit;
    private final AuthConfig config;
    private final SecureRandom random = new SecureRandom();

    public LoginService(AdminRepository admins, TokenRepository tokens, PasswordHasher hasher, AuditLog audit,
                        AuthConfig config) {
        this.admins = admins;
        this.tokens = tokens;
        this.hasher = hasher;
        this.audit = audit;
        this.config = config;
    }

    public Uni<IssuedToken> login(String username, String password, String source) {
        return admins.recentFailuresFrom(source, SOURCE_WINDOW).flatMap(failures -> {
            OffsetDateTime retryAt = retryAt(failures);
            if (retryAt != null && retryAt.isAfter(OffsetDateTime.now(ZoneOffset.UTC))) {
                return thenFail(audit.record(username, "login.throttled", null,
                                Map.of("failuresInWindow", failures.count()), source),
                        throttled(retryAt));
            }
            return checkAccount(username, password, source);
        });
    }

    /**
     * When a source may try again: beyond {@link #SOURCE_FAILURES_ALLOWED} failures in the window,
     * one minute after its latest failure, doubling with each further failure up to the window.
     * Null while it is under the limit. Refused attempts are not failures, so waiting is enough.
     */
    static OffsetDateTime retryAt(AdminRepository.SourceFailures failures) {
        if (failures.count() < SOURCE_FAILURES_ALLOWED || failures.latest() == null) {
            return null;
        }
        long doublings = Math.min(failures.count() - SOURCE_FAILURES_ALLOWED, 10);
        Duration delay = FIRST_SOURCE_DELAY.multipliedBy(1L << doublings);
        return failures.latest().plus(delay.compareTo(SOURCE_WINDOW) > 0 ? SOURCE_WINDOW : delay);
    }

    private static ApiException throttled(OffsetDateTime retryAt) {
        long seconds = Math.max(1, Duration.between(OffsetDateTime.now(ZoneOffset.UTC), retryAt).toSeconds());
        return new ApiException(Response.Status.TOO_MANY_REQUESTS, "throttled",
                "too many failed logins from your address: try again in " + seconds + " s (after "
                        + retryAt.withNano(0) + ")", null);
    }

    private Uni<IssuedToken> checkAccount(String username, String password, String source) {
        return admins.findByUsername(username).flatMap(admin -> {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            if (admin != null && admin.isLockedAt(now)) {
                return thenFail(audit.record(username, "login.refused_locked", null, null, source),
                        new ApiException(Response.Status.TOO_MANY_REQUESTS, "locked",
                                "too many failed logins: this account is locked until " + admin.lockedUntil(), null));
            }
            return Uni.createFrom().item(() -> admin != null && !admin.disabled()
                            && hasher.verify(password, admin.passwordHash()) || spendTimeAndFail(admin, password))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .flatMap(ok -> ok ? issue(admin, source) : fail(admin, username, source));
        });
    }

    /** Keeps a missing account as slow to refuse as a wrong password. */
    private boolean spendTimeAndFail(Admin admin, String password) {
        if (admin == null) {
            hasher.spendEquivalentTime(password);
        }
        return false;
    }

    private Uni<IssuedToken> fail(Admin admin, String username, String source) {
        Uni<Void> count = admin == null ? Uni.createFrom().voidItem()
                : admins.recordFailedLogin(admin.id(), config.auth().lockAfterFailures(), config.auth().maxLock());
        return thenFail(count.flatMap(v -> audit.record(username, "login.failed", null, null, source)),
                INVALID_CREDENTIALS);
    }

    private static <T> Uni<T> thenFail(Uni<Void> step, ApiException failure) {
        return step.onItem().transformToUni(v -> Uni.createFrom().failure(failure));
    }

    private Uni<IssuedToken> issue(Admin admin, String source) {
        byte[] raw = new byte[TOKEN_SIZE_IN_BYTES];
        random.nextBytes(raw);
        String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        OffsetDateTime expiresAt = OffsetDateTime.now(ZoneOffset.UTC).plus(config.auth().tokenTtl());
        return admins.recordSuccessfulLogin(admin.id())
                .flatMap(v -> tokens.deleteExpired())
                .flatMap(v -> tokens.insert(hashToken(token), admin.id(), expiresAt, source))
                .flatMap(v -> audit.record(admin.username(), "login", null, Map.of("role", admin.role().wireName()),
                        source))
                .replaceWith(new IssuedToken(token, expiresAt, admin.username(), admin.role()));
    }

    public Uni<Void> logout(String token, String username, String source) {
        return tokens.delete(hashToken(token)).flatMap(v -> audit.record(username, "logout", null, null, source));
    }

    /** Tokens are looked up by their SHA-256 hash. */
    static byte[] hashToken(String token) {
        return Hashes.sha256(token);
    }

    public record IssuedToken(String token, OffsetDateTime expiresAt, String username, Role role) {
    }
}
