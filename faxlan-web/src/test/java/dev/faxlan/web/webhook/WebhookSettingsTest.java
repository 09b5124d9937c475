package dev.faxlan.web.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.cli.settings.InvalidSettings;
import dev.faxlan.web.WebSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class WebhookSettingsTest {
    @Test
    void theDefaultsRetryForADayAndRefusePrivateAddresses() throws Exception {
        WebhookSettings s = WebSettings.parse(new Properties(), Path.of("")).webhooks();
        assertThat(s).isEqualTo(WebhookSettings.defaults());
        assertThat(s.retryFor()).isEqualTo(Duration.ofHours(24));
        assertThat(s.allowPrivate()).isFalse();
    }

    @Test
    void theSettingsAreReadAndAWrongOneIsAProblemNamingIt() throws Exception {
        Properties p = new Properties();
        p.setProperty("webhook.retry.hours", "48");
        p.setProperty("webhook.retry.first.seconds", "1");
        p.setProperty("webhook.allow.private", "true");
        p.setProperty("webhook.log.days", "2");
        p.setProperty("webhook.queue.events", "10");
        WebhookSettings s = WebSettings.parse(p, Path.of("")).webhooks();
        assertThat(s).isEqualTo(new WebhookSettings(Duration.ofHours(48), Duration.ofSeconds(1), true, Duration.ofDays(2), 10));
        p.setProperty("webhook.allow.private", "yes");
        p.setProperty("webhook.retry.hours", "0");
        assertThatThrownBy(() -> WebSettings.parse(p, Path.of(""))).isInstanceOf(InvalidSettings.class)
                .hasMessageContaining("webhook.allow.private must be true or false, not 'yes'")
                .hasMessageContaining("webhook.retry.hours must be a whole number from 1 to 720");
    }
}
