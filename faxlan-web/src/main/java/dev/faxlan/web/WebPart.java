package dev.faxlan.web;

import io.javalin.Javalin;

/** One concern of the web process (the pages, the REST API, webhooks) that adds its routes to the one HTTP server. */
public interface WebPart extends AutoCloseable {
    /** Adds this part's routes and handlers; called once, before the server starts. */
    void addTo(Javalin app);

    /** Stops what the part runs in the background; the default has nothing to stop. */
    @Override
    default void close() {
    }
}
