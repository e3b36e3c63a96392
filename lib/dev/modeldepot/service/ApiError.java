package dev.modeldepot.service;

/** An HTTP error answer: status and one sentence, sent as {"error": ..., "status": ...}. */
final class ApiError extends RuntimeException {
    final int status;
    final String allow;

    ApiError(int status, String message) {
        this(status, message, null);
    }

    ApiError(int status, String message, String allow) {
        super(message, null, false, false);
        this.status = status;
        this.allow = allow;
    }
}
