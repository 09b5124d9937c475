package dev.faxlan.server.cpi.operation;

import static dev.faxlan.server.cpi.operation.Operations.encode;

import dev.faxlan.protocol.Op;
import dev.faxlan.protocol.message.UserMessage;
import dev.faxlan.server.core.Checks;
import dev.faxlan.server.core.account.AccountService;
import dev.faxlan.server.storage.Users;
import java.util.ArrayList;
import java.util.List;

/** {@code user.*}: accounts are the administrators', except each user's own password. */
final class UserOperations {
    private final AccountService accounts;

    UserOperations(AccountService accounts) {
        this.accounts = accounts;
    }

    void register(Operations ops) {
        ops.query(Op.USER_LIST, call -> {
            Checks.requireAdmin(call.caller()); // before the body is read, so a user is refused whatever they send
            call.body(UserMessage.ListUsers.class);
            List<UserMessage.Account> out = new ArrayList<>();
            for (Users.User u : accounts.list(call.caller())) out.add(new UserMessage.Account(u.name(), u.role(), u.created()));
            return encode(new UserMessage.Users(out));
        });
        ops.command(Op.USER_ADD, call -> {
            Checks.requireAdmin(call.caller());
            UserMessage.AddUser r = call.body(UserMessage.AddUser.class);
            AccountService.NewAccount account = new AccountService.NewAccount(r.user(), r.role(), r.password());
            return (c, after) -> {
                Users.User added = accounts.add(c, call.caller(), account);
                return encode(new UserMessage.Added(added.name(), added.role()));
            };
        });
        ops.command(Op.USER_PASSWD, call -> {
            UserMessage.ChangePassword r = call.body(UserMessage.ChangePassword.class);
            return (c, after) -> encode(new UserMessage.Named(accounts.changePassword(c, call.caller(), r.user(), r.current(), r.password(), after)));
        });
        ops.command(Op.USER_REMOVE, call -> {
            Checks.requireAdmin(call.caller());
            String name = call.body(UserMessage.RemoveUser.class).user();
            return (c, after) -> encode(new UserMessage.Named(accounts.remove(c, call.caller(), name, after)));
        });
    }
}
