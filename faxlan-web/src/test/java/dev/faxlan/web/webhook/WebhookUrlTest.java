package dev.faxlan.web.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class WebhookUrlTest {
    @Test
    void onlyHttpAndHttpsWithAHostAndNoCredentials() throws Exception {
        for (String bad : new String[] {"ftp://93.184.215.14/x", "file:///etc/passwd", "javascript:alert(1)", "93.184.215.14/hook", "", "http:///x",
                "https://user:pw@93.184.215.14/x", "https://93.184.215.14/x#frag", "http://exa mple.org/"}) {
            assertThatThrownBy(() -> WebhookUrl.check(bad, true)).as(bad).isInstanceOf(WebhookUrl.Refused.class);
        }
        assertThatThrownBy(() -> WebhookUrl.check("gopher://93.184.215.14/", true)).hasMessageContaining("http:// or https://");
        assertThat(WebhookUrl.parse("HTTPS://93.184.215.14:8443/hook?x=1").getPort()).isEqualTo(8443);
    }

    @Test
    void addressesInsideTheNetworkAreRefusedUnlessAllowed() throws Exception {
        for (String inside : new String[] {"127.0.0.1", "127.9.9.9", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
                "0.0.0.0", "[::1]", "[fe80::1]", "[fd00::1]", "[::ffff:127.0.0.1]", "[::ffff:169.254.169.254]", "224.0.0.1"}) {
            String url = "http://" + inside + "/hook";
            assertThatThrownBy(() -> WebhookUrl.check(url, false)).as(url).isInstanceOf(WebhookUrl.Refused.class)
                    .hasMessageContaining("webhook.allow.private");
            assertThat(WebhookUrl.check(url, true)).as(url).isNotNull();
        }
        for (String outside : new String[] {"93.184.215.14", "8.8.8.8", "100.128.0.1", "172.32.0.1", "[2001:4860:4860::8888]"}) {
            assertThat(WebhookUrl.check("https://" + outside + "/hook", false)).as(outside).isNotNull();
        }
        assertThat(WebhookUrl.isInternal(InetAddress.getByName("localhost"))).isTrue();
    }

    @Test
    void aNameThatDoesNotResolveIsRefusedWithItsName() {
        assertThatThrownBy(() -> WebhookUrl.check("https://no-such-host.invalid/hook", false)).hasMessageContaining("no-such-host.invalid cannot be resolved");
    }
}
