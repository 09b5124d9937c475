package dev.faxlan.server.cpi.operation;

import static dev.faxlan.server.cpi.operation.Operations.encode;

import dev.faxlan.protocol.Op;
import dev.faxlan.protocol.message.CoverMessage;
import dev.faxlan.server.core.cover.CoverService;
import java.util.ArrayList;
import java.util.List;

/** {@code cover.list}, {@code cover.get} and {@code cover.put}. */
final class CoverOperations {
    private final CoverService covers;

    CoverOperations(CoverService covers) {
        this.covers = covers;
    }

    void register(Operations ops) {
        ops.query(Op.COVER_LIST, call -> {
            call.body(CoverMessage.ListCovers.class);
            List<CoverMessage.Cover> out = new ArrayList<>();
            for (CoverService.Cover t : covers.list(call.caller())) out.add(new CoverMessage.Cover(t.name(), t.kind().text(), t.updated()));
            return encode(new CoverMessage.Covers(out));
        });
        ops.query(Op.COVER_GET, call -> {
            String name = call.body(CoverMessage.GetCover.class).name();
            return encode(new CoverMessage.Source(name, covers.source(call.caller(), name)));
        });
        ops.command(Op.COVER_PUT, call -> {
            CoverMessage.PutCover r = call.body(CoverMessage.PutCover.class);
            CoverService.NewCover cover = new CoverService.NewCover(r.name(), r.source(), Boolean.TRUE.equals(r.shared()));
            return (c, after) -> {
                CoverService.Cover stored = covers.put(c, call.caller(), cover);
                return encode(new CoverMessage.Stored(stored.name(), stored.kind().text()));
            };
        });
    }
}
