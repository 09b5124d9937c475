package dev.faxlan.cli;

import dev.faxlan.sdk.ApiKey;
import dev.faxlan.sdk.FaxlanClient;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(mixinStandardHelpOptions = true, name = "apikey", description = {"API keys: what a program logs in with (--api-key-file, the REST API) instead of your password.",
        "The server keeps only a hash of each key, so a key is shown once, when it is made."})
final class ApiKeyCommand {
    static final Listing<ApiKey> LISTING = Listing.<ApiKey>of(List.of("ID", "LABEL", "USER", "PREFIX", "CREATED", "LAST USED"),
            k -> List.of(String.valueOf(k.id()), k.label(), k.user(), k.prefix(), time(k.created()), time(k.lastUsed())),
            k -> Json.object("id", k.id(), "label", k.label(), "user", k.user(), "prefix", k.prefix(), "created", time(k.created()),
                    "last_used", k.lastUsed() == null ? null : time(k.lastUsed())))
            .whenEmpty("no API keys");

    @Mixin
    ClientOptions client;

    @Command(mixinStandardHelpOptions = true, name = "create", description = {"Make an API key and print it once on stdout: store it now, it cannot be shown again.",
            "A lost key is revoked and replaced by a new one."})
    int create(@Parameters(paramLabel = "LABEL", description = "what the key is for, 1 to 64 characters (shown in lists)") String label,
            @Option(names = "--for", paramLabel = "USER", description = "make the key for another user (administrators)") String forUser) {
        ApiKey k;
        try (FaxlanClient c = client.connect()) {
            k = c.createApiKey(label, forUser);
        }
        if (client.json) {
            System.out.println(Json.write(Json.object("id", k.id(), "label", k.label(), "prefix", k.prefix(), "key", k.key())));
        } else {
            System.out.println(k.key());
        }
        System.err.println("faxlan: API key " + k.id() + " (" + k.prefix() + ") for " + k.user() + " is shown only now: store it, it cannot be shown again");
        return 0;
    }

    @Command(mixinStandardHelpOptions = true, name = "list", description = "Your API keys (never their secrets), oldest first.")
    int list(@Option(names = "--all", description = "every user's keys (administrators)") boolean all) {
        List<ApiKey> keys;
        try (FaxlanClient c = client.connect()) {
            keys = c.apiKeys(all);
        }
        LISTING.print(keys, client.json);
        return 0;
    }

    @Command(mixinStandardHelpOptions = true, name = "revoke", description = "Revoke an API key: it logs in no more, and programs logged in with it are logged out at once.")
    int revoke(@Parameters(paramLabel = "ID", description = "the key's id, as 'faxlan apikey list' shows it") long id) {
        ApiKey k;
        try (FaxlanClient c = client.connect()) {
            k = c.revokeApiKey(id);
        }
        if (client.json) System.out.println(Json.write(Json.object("id", k.id(), "prefix", k.prefix(), "revoked", true)));
        else System.out.println("revoked API key " + k.id() + " (" + k.prefix() + ", " + k.label() + ")");
        return 0;
    }

    private static String time(Instant t) {
        return t == null ? "-" : Views.time(t.toEpochMilli());
    }
}
