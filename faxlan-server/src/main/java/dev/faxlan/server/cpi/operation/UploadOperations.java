package dev.faxlan.server.cpi.operation;

import static dev.faxlan.server.cpi.operation.Operations.encode;

import dev.faxlan.protocol.Op;
import dev.faxlan.protocol.message.UploadMessage;
import dev.faxlan.server.core.upload.UploadService;

/** {@code upload.begin} and {@code upload.status}; the bytes themselves come on the data stream. */
final class UploadOperations {
    private final UploadService uploads;

    UploadOperations(UploadService uploads) {
        this.uploads = uploads;
    }

    void register(Operations ops) {
        ops.query(Op.UPLOAD_STATUS, call -> encode(state(uploads.status(call.caller(), call.body(UploadMessage.Status.class).upload()))));
        ops.command(Op.UPLOAD_BEGIN, call -> {
            UploadMessage.Begin r = call.body(UploadMessage.Begin.class);
            UploadService.Announced announced = new UploadService.Announced(r.name(), r.size(), r.sha256());
            return (c, after) -> encode(state(uploads.begin(c, call.caller(), announced)));
        });
    }

    static UploadMessage.State state(UploadService.State s) {
        return new UploadMessage.State(s.id(), s.offset(), s.size(), s.complete(), s.sha256());
    }
}
