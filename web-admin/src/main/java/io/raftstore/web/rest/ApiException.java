package io.raftstore.web.rest;

/**
 * A request answered with an error status and the contract's JSON error body. It carries no stack trace: it is
 * an answer, not a fault (a read of a missing key is an ordinary request), and filling one in cost more than
 * the read.
 */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String leaderId;

    public ApiException(int status, String code, String message, String leaderId) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.leaderId = leaderId;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "BAD_REQUEST", message, null);
    }

    public static ApiException notFound(String key) {
        return new ApiException(404, "NOT_FOUND", "no key '" + key + "'", null);
    }

    public static ApiException conditionFailed(String message) {
        return new ApiException(412, "CONDITION_FAILED", message, null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String leaderId() {
        return leaderId;
    }
}
