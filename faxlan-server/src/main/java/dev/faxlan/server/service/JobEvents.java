package dev.faxlan.server.service;

import dev.faxlan.server.core.job.Job;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.cbor.Cbor;
import dev.faxlan.server.storage.Events;
import dev.faxlan.server.storage.Jobs;
import java.sql.Connection;
import java.sql.SQLException;

/** A job's event in its owner's log: one body, written in the transaction that changed the job. */
public final class JobEvents {
    private JobEvents() {}

    /** The job's event with the job's own reason. */
    public static void append(Connection c, Job j, long now) throws SQLException {
        append(c, j, j.reason(), now);
    }

    /** The job's event with {@code reason} in place of the job's (a job made by the server says why). */
    public static void append(Connection c, Job j, String reason, long now) throws SQLException {
        Fields ev = Fields.builder().put("job", j.id()).put("state", j.state()).put("to", j.recipient()).put("subject", j.subject())
                .put("reason", reason).build();
        Events.append(c, j.userId(), "job", Cbor.encode(ev.asMap()), now);
    }
}
