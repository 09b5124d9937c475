package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.protocol.Fingerprint;
import dev.faxlan.sdk.SavedServers;
import dev.faxlan.server.cpi.CpiServer;
import dev.faxlan.server.identity.ServerIdentity;
import dev.faxlan.server.cpi.operation.CpiService;
import dev.faxlan.server.spool.Spool;
import dev.faxlan.server.storage.Database;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code servers --add} pins the certificate the TLS handshake presented, not what the server says about
 * itself; {@code servers --remove} takes a saved server's name as well as its address.
 */
class ServersAddIT {
    @TempDir
    Path dir;

    @Test
    void aServerWhoseInfoNamesAnotherIdentityIsNotSaved() throws Exception {
        ServerIdentity identity = ServerIdentity.loadOrCreate(dir.resolve("keys"), "liar");
        byte[] claimed = identity.fingerprint();
        claimed[0] ^= 1; // the fingerprint of some other server, e.g. the one being impersonated
        try (Database db = Database.embedded(dir.resolve("data"))) {
            CpiService service = new CpiService(db, new Spool(dir.resolve("spool")), Clock.systemUTC(), "liar", "0.1.0", claimed, 1 << 20);
            CpiServer cpi = CpiServer.start(new InetSocketAddress("127.0.0.1", 0), identity, service, "liar", "0.1.0");
            try {
                Map<String, String> env = Map.of("XDG_CONFIG_HOME", dir.resolve("config").toString());
                Cli.Result added = Cli.run(env, "servers", "--add", "127.0.0.1:" + cpi.localAddress().getPort());

                assertThat(added.exitCode()).as(added.toString()).isEqualTo(1);
                assertThat(added.err().strip().lines()).hasSize(1);
                assertThat(added.err()).contains(Fingerprint.format(identity.fingerprint())).contains(Fingerprint.format(claimed));
                Path saved = dir.resolve("config/faxlan/servers");
                if (Files.exists(saved)) {
                    assertThat(Files.readString(saved)).doesNotContain(Fingerprint.format(claimed))
                            .doesNotContain(Fingerprint.format(identity.fingerprint()));
                }
                assertThat(Arrays.equals(claimed, identity.fingerprint())).isFalse();
            } finally {
                cpi.close();
            }
        }
    }

    @Test
    void removeTakesASavedServersNameAsWellAsItsAddress() throws Exception {
        SavedServers saved = new SavedServers(dir.resolve("config/faxlan/servers"));
        byte[] pin = ServerIdentity.loadOrCreate(dir.resolve("keys"), "office").fingerprint();
        saved.put(new SavedServers.Entry("192.0.2.10", 4644, pin, "office"));
        saved.put(new SavedServers.Entry("192.0.2.11", 4644, pin, "branch"));
        saved.put(new SavedServers.Entry("192.0.2.12", 4644, pin, "lab"));
        Map<String, String> env = Map.of("XDG_CONFIG_HOME", dir.resolve("config").toString());

        Cli.Result byName = Cli.run(env, "servers", "--remove", "Office");
        assertThat(byName.exitCode()).as(byName.toString()).isZero();
        assertThat(byName.out()).contains("192.0.2.10:4644").contains("office");
        assertThat(saved.list()).extracting(SavedServers.Entry::name).containsExactly("branch", "lab");

        Cli.Result byAddress = Cli.run(env, "servers", "--remove", "192.0.2.11");
        assertThat(byAddress.exitCode()).as(byAddress.toString()).isZero();
        assertThat(saved.list()).extracting(SavedServers.Entry::name).containsExactly("lab");

        Cli.Result unknown = Cli.run(env, "servers", "--remove", "office");
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(1);
        assertThat(unknown.err()).contains("office");
        assertThat(saved.list()).extracting(SavedServers.Entry::name).containsExactly("lab");
    }
}
