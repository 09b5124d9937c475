package dev.faxlan.lines.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KamailioConfigTest {

    @Test
    void usersBecomeCasesOfThePasswordSwitch() {
        Map<String, String> users = new LinkedHashMap<>();
        users.put("2000", "secret");
        users.put("fax.gw", "p@ss-w0rd!");

        String cfg = Kamailio.config("faxlan.test", 5062, users, "unix:/tmp/k/ctl.sock");

        assertThat(cfg).contains("listen=udp:127.0.0.1:5062", "listen=tcp:127.0.0.1:5062",
                "case \"2000\": $var(known) = 1; $var(pw) = \"secret\"; break;",
                "case \"fax.gw\": $var(known) = 1; $var(pw) = \"p@ss-w0rd!\"; break;",
                "www_challenge(\"faxlan.test\", \"0\")", "proxy_challenge(\"faxlan.test\", \"0\")",
                "modparam(\"ctl\", \"binrpc\", \"unix:/tmp/k/ctl.sock\")", "modparam(\"usrloc\", \"db_mode\", 0)")
                .doesNotContain("@PORT@", "@REALM@", "@CTL@", "@USERS@");
    }

    @Test
    void valuesThatWouldBreakTheConfigurationAreRefused() {
        Kamailio k = Kamailio.withRealm("faxlan.test");
        assertThatThrownBy(() -> k.addUser("a\"b", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> k.addUser("2000", "has\"quote")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> k.addUser("2000", "$var(x)")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> k.addUser("2000", "back\\slash")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> k.addUser("2000", "with space")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Kamailio.withRealm("bad realm")).isInstanceOf(IllegalArgumentException.class);
    }
}
