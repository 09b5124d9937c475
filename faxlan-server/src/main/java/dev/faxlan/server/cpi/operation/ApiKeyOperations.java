package dev.faxlan.server.cpi.operation;

import static dev.faxlan.server.cpi.operation.Operations.encode;

import dev.faxlan.protocol.Op;
import dev.faxlan.protocol.message.ApiKeyMessage;
import dev.faxlan.server.auth.ApiKeyFormat;
import dev.faxlan.server.core.apikey.ApiKeyService;
import dev.faxlan.server.storage.ApiKeys;
import java.util.ArrayList;
import java.util.List;

/** {@code apikey.*}: each user's own keys; administrators' for anyone. */
final class ApiKeyOperations {
    private final ApiKeyService keys;

    ApiKeyOperations(ApiKeyService keys) {
        this.keys = keys;
    }

    void register(Operations ops) {
        ops.command(Op.APIKEY_CREATE, call -> {
            ApiKeyMessage.CreateKey r = call.body(ApiKeyMessage.CreateKey.class);
            return (c, after) -> {
                ApiKeyService.Created made = keys.create(c, call.caller(), r.label(), r.user());
                ApiKeys.StoredKey k = made.key();
                return encode(new ApiKeyMessage.CreatedKey(k.id(), k.label(), k.user(), ApiKeyFormat.prefix(k.lookup()), k.created(), made.secret()));
            };
        });
        ops.query(Op.APIKEY_LIST, call -> {
            ApiKeyMessage.ListKeys r = call.body(ApiKeyMessage.ListKeys.class);
            List<ApiKeyMessage.ApiKey> out = new ArrayList<>();
            for (ApiKeys.StoredKey k : keys.list(call.caller(), Boolean.TRUE.equals(r.all()))) out.add(map(k));
            return encode(new ApiKeyMessage.Keys(out));
        });
        ops.command(Op.APIKEY_REVOKE, call -> {
            long id = call.body(ApiKeyMessage.RevokeKey.class).id();
            return (c, after) -> encode(map(keys.revoke(c, call.caller(), id, after)));
        });
    }

    static ApiKeyMessage.ApiKey map(ApiKeys.StoredKey k) {
        return new ApiKeyMessage.ApiKey(k.id(), k.label(), k.user(), ApiKeyFormat.prefix(k.lookup()), k.created(), k.lastUsed());
    }
}
