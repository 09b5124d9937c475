package dev.faxlan.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class IpNetworkTest {
    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void aNetworkContainsItsAddressesOnly() throws Exception {
        IpNetwork n = IpNetwork.parse("192.0.2.0/24");
        assertThat(n.contains(ip("192.0.2.0"))).isTrue();
        assertThat(n.contains(ip("192.0.2.255"))).isTrue();
        assertThat(n.contains(ip("192.0.3.1"))).isFalse();
        assertThat(n.contains(ip("2001:db8::1"))).isFalse();
        assertThat(n).hasToString("192.0.2.0/24");
        IpNetwork odd = IpNetwork.parse("127.0.0.2/31");
        assertThat(odd.contains(ip("127.0.0.2"))).isTrue();
        assertThat(odd.contains(ip("127.0.0.3"))).isTrue();
        assertThat(odd.contains(ip("127.0.0.4"))).isFalse();
        assertThat(odd.contains(ip("127.0.0.1"))).isFalse();
    }

    @Test
    void anAddressAloneIsItself() throws Exception {
        IpNetwork one = IpNetwork.parse(" 198.51.100.7 ");
        assertThat(one.prefix()).isEqualTo(32);
        assertThat(one.contains(ip("198.51.100.7"))).isTrue();
        assertThat(one.contains(ip("198.51.100.6"))).isFalse();
        assertThat(one).hasToString("198.51.100.7");
        IpNetwork v6 = IpNetwork.parse("2001:db8::/32");
        assertThat(v6.contains(ip("2001:db8:1::5"))).isTrue();
        assertThat(v6.contains(ip("2001:db9::1"))).isFalse();
        assertThat(IpNetwork.parse("::1").contains(ip("::1"))).isTrue();
    }

    @Test
    void ipv6IsShownInItsShortForm() throws Exception {
        assertThat(IpNetwork.text(ip("2001:db8::"))).isEqualTo("2001:db8::");
        assertThat(IpNetwork.text(ip("2001:db8::1"))).isEqualTo("2001:db8::1");
        assertThat(IpNetwork.text(ip("::1"))).isEqualTo("::1");
        assertThat(IpNetwork.text(ip("::"))).isEqualTo("::");
        assertThat(IpNetwork.text(ip("2001:db8:0:1:0:0:0:1"))).isEqualTo("2001:db8:0:1::1");
        assertThat(IpNetwork.text(ip("2001:0:0:1:0:0:0:1"))).as("the longer run").isEqualTo("2001:0:0:1::1");
        assertThat(IpNetwork.text(ip("2001:db8:1:2:3:0:5:6"))).as("one zero group stays").isEqualTo("2001:db8:1:2:3:0:5:6");
        assertThat(IpNetwork.parse("2001:DB8::/32")).hasToString("2001:db8::/32");
    }

    @Test
    void whatIsNotANetworkIsNamed() {
        assertThatThrownBy(() -> IpNetwork.parse("sip.example.net")).hasMessageContaining("'sip.example.net' is not an IP address or network");
        assertThatThrownBy(() -> IpNetwork.parse("300.1.1.1")).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> IpNetwork.parse("192.0.2.0/33")).hasMessageContaining("at most 32");
        assertThatThrownBy(() -> IpNetwork.parse("192.0.2.0/x")).hasMessageContaining("must be a number");
        assertThatThrownBy(() -> IpNetwork.parse("192.0.2.1/24")).hasMessageContaining("host bits set").hasMessageContaining("192.0.2.0/24");
        assertThatThrownBy(() -> IpNetwork.parse("")).hasMessageContaining("not an IP address");
    }

    @Test
    void literalsAreParsedWithoutALookup() {
        assertThat(IpNetwork.literal("127.0.0.5")).isNotNull();
        assertThat(IpNetwork.literal("localhost")).as("a name, never looked up").isNull();
        assertThat(IpNetwork.literal("not..an..address")).isNull();
    }
}
