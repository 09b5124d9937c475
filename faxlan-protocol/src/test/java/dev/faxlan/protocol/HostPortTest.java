package dev.faxlan.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HostPortTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sip.example.net            | sip.example.net | 5060",
        "sip.example.net:5080       | sip.example.net | 5080",
        "192.0.2.1                  | 192.0.2.1       | 5060",
        "192.0.2.1:5061             | 192.0.2.1       | 5061",
        "[2001:db8::1]              | 2001:db8::1     | 5060",
        "[2001:db8::1]:5062         | 2001:db8::1     | 5062",
        "pbx                        | pbx             | 5060",
    })
    void parses(String text, String host, int port) {
        assertThat(HostPort.parse(text, 5060)).isEqualTo(new HostPort(host, port));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                   | '' is not a host name or address",
        "sip.example.net:0    | 'sip.example.net:0' has port 0, outside 1..65535",
        "sip.example.net:x    | 'sip.example.net:x' has a port that is not a number",
        "2001:db8::1          | '2001:db8::1': write an IPv6 address in brackets, e.g. [2001:db8::1]:5060",
        "[2001:db8::1         | '[2001:db8::1' has no closing ']'",
        "[2001:db8::1]5060    | '[2001:db8::1]5060' is not [address]:port",
        "[example.net]        | '[example.net]' does not hold an IPv6 address in brackets",
        "sip_example.net      | 'sip_example.net' is not a host name or address",
        "sip:pbx.example      | 'sip:pbx.example' has a port that is not a number",
    })
    void rejects(String text, String message) {
        assertThatThrownBy(() -> HostPort.parse(text, 5060)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void printsIpv6InBrackets() {
        assertThat(new HostPort("2001:db8::1", 5060)).hasToString("[2001:db8::1]:5060");
        assertThat(new HostPort("sip.example.net", 5060)).hasToString("sip.example.net:5060");
    }
}
