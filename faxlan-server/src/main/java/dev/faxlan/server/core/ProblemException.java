package dev.faxlan.server.core;

import java.util.Objects;

/**
 * A use case's refusal: a {@link Problem} and a message naming the values concerned. Unchecked, so a
 * refusal can leave a database transaction ({@code Database.Work} throws only SQLException) and roll it back.
 */
public final class ProblemException extends RuntimeException {
    private final Problem problem;

    public ProblemException(Problem problem, String message) {
        super(message, null, false, false); // an answer to the caller, not a fault: no stack trace
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    public Problem problem() {
        return problem;
    }
}
