package dev.faxlan.protocol.message;

import java.util.List;

/** {@code user.add}, {@code user.list}, {@code user.passwd} and {@code user.remove}. */
public sealed interface UserMessage {
    /** {@code role}: user (the default) or admin. */
    record AddUser(String user, String password, @MayBeAbsent String role) implements UserMessage, CpiRequest<Added> {}

    record Added(String user, String role) implements UserMessage {}

    record ListUsers() implements UserMessage, CpiRequest<Users> {}

    record Users(List<Account> users) implements UserMessage {}

    record Account(String name, String role, @MayBeAbsent Long created) {}

    /** {@code user}: absent for the caller's own password, which then needs {@code current}. */
    record ChangePassword(@MayBeAbsent String user, @MayBeAbsent String current, String password) implements UserMessage, CpiRequest<Named> {}

    record RemoveUser(String user) implements UserMessage, CpiRequest<Named> {}

    record Named(String user) implements UserMessage {}
}
