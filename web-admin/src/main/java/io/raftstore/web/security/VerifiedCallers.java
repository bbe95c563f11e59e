package io.raftstore.web.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * HTTP Basic callers the registry recently accepted, with the roles they were found to hold, so a client
 * sending the same {@code Authorization} header again is let through without another container login.
 *
 * <p>Why: a container login ({@code HttpServletRequest.login}) on every REST request was the largest single
 * cost of a write through REST (about a tenth of the leader's CPU), most of it building and signing a
 * single-sign-on cookie no script ever sends back. Liberty's own authentication cache already keeps an
 * accepted user and password for ten minutes; this keeps them for {@link #DEFAULT_TTL_NANOS} seconds, so a
 * removed user, a changed password or a withdrawn role stops working within that time, as before within
 * Liberty's.
 *
 * <p>What is kept: only a SHA-256 digest of the header (never the password), the user's name, and the roles
 * confirmed for it. Only accepted logins are kept: a wrong password goes to the registry every time (and is
 * logged). A role not yet confirmed for a caller is asked of the container, and a refusal is not cached.
 * The map is bounded: past {@link #MAX_CALLERS} entries it is cleared, which costs one login per caller.
 *
 * <p>Threads: safe for concurrent use.
 */
public final class VerifiedCallers {

    /** How long an accepted login is trusted without asking the registry again: 10 seconds. */
    public static final long DEFAULT_TTL_NANOS = 10_000_000_000L;
    static final int MAX_CALLERS = 4096;

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    });

    private record Caller(String user, Set<ApiRole> roles, long expiresAt) {
    }

    private final ConcurrentHashMap<String, Caller> callers = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final LongSupplier clock;

    public VerifiedCallers() {
        this(DEFAULT_TTL_NANOS, System::nanoTime);
    }

    VerifiedCallers(long ttlNanos, LongSupplier clock) {
        this.ttlNanos = ttlNanos;
        this.clock = clock;
    }

    /**
     * The user's name when this exact header was accepted and found to hold {@code role} within the time
     * limit; null otherwise (then log in through the container and call {@link #accepted}).
     */
    public String lookUp(String authorizationHeader, ApiRole role) {
        if (authorizationHeader == null) {
            return null;
        }
        String key = key(authorizationHeader);
        Caller c = callers.get(key);
        if (c == null) {
            return null;
        }
        if (clock.getAsLong() - c.expiresAt() >= 0) {
            callers.remove(key, c);
            return null;
        }
        return c.roles().contains(role) ? c.user() : null;
    }

    /** Records that the container accepted this header as {@code user} and confirmed {@code role}. */
    public void accepted(String authorizationHeader, String user, ApiRole role) {
        if (callers.size() >= MAX_CALLERS) {
            callers.clear();
        }
        long now = clock.getAsLong();
        callers.compute(key(authorizationHeader), (k, old) -> {
            boolean fresh = old != null && old.user().equals(user) && now - old.expiresAt() < 0;
            Set<ApiRole> roles = fresh ? EnumSet.copyOf(old.roles()) : EnumSet.noneOf(ApiRole.class);
            roles.add(role);
            // A newly confirmed role does not extend what was confirmed before it.
            return new Caller(user, Set.copyOf(roles), fresh ? old.expiresAt() : now + ttlNanos);
        });
    }

    /** Callers held now, for tests. */
    int size() {
        return callers.size();
    }

    private static String key(String header) {
        MessageDigest sha = SHA256.get();
        return Base64.getEncoder().encodeToString(sha.digest(header.getBytes(StandardCharsets.UTF_8)));
    }
}
