package dev.faxlan.server.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What a change asks to happen once its transaction has committed: alerts to wake, the dispatcher to
 * look, calls to hang up. A use case adds to it inside the transaction; the door that owns the
 * transaction runs it after the commit, and never for an answer it replays from storage, so a
 * replayed request can never cause an effect its first execution did not.
 */
public final class AfterCommit {
    private final List<Runnable> actions = new ArrayList<>();

    public void add(Runnable action) {
        actions.add(action);
    }

    /** Runs the actions in the order they were added. */
    public void run() {
        for (Runnable a : actions) a.run();
    }
}
