package dev.faxlan.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link HostPort#parseLenient}: server addresses as users type them. */
class LenientHostPortTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "fax.example.com       | fax.example.com | 4644",
        "fax.example.com:5000  | fax.example.com | 5000",
        "192.0.2.1             | 192.0.2.1       | 4644",
        "192.0.2.1:1           | 192.0.2.1       | 1",
        "192.0.2.1:65535       | 192.0.2.1       | 65535",
        "[::1]:4645            | ::1             | 4645",
        "[::1]                 | ::1             | 4644",
        "[2001:db8::7]:80      | 2001:db8::7     | 80",
        "::1                   | ::1             | 4644",
        "2001:db8::7           | 2001:db8::7     | 4644",
        "[fe80::1%eth0]:4644   | fe80::1%eth0    | 4644",
        "'  host:7  '          | host            | 7",
    })
    void parses(String text, String host, int port) {
        assertThat(HostPort.parseLenient(text, 4644)).isEqualTo(new HostPort(host, port));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"", "   ", ":4644", "[]:4644", "host:", "host:0", "host:65536", "host:99999999999", "host:-1",
        "host:http", "host:46 44", "[::1]:", "[::1]:0", "[::1]:x", "[::1", "[::1]4644", "[::1]:4644x"})
    void refuses(String text) {
        assertThatThrownBy(() -> HostPort.parseLenient(text, 4644))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.strip().isEmpty() ? "" : text);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fax.example.com:4644", "192.0.2.1:5000", "[::1]:4644", "[2001:db8::7]:1"})
    void printsWhatItParses(String text) {
        HostPort hp = HostPort.parseLenient(text, 1);
        assertThat(hp.toString()).isEqualTo(text);
        assertThat(HostPort.parseLenient(hp.toString(), 1)).isEqualTo(hp);
    }
}
