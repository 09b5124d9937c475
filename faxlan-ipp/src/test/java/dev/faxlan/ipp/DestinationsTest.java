package dev.faxlan.ipp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DestinationsTest {
    @Test
    void telUrisBecomeNumbersWithoutTheirVisualSeparators() throws Exception {
        assertThat(Destinations.numbers(List.of(URI.create("tel:0000"), URI.create("tel:+1-212-555-0100"), URI.create("tel:(212)555.0101"))))
                .containsExactly("0000", "+12125550100", "2125550101");
    }

    @Test
    void otherSchemesAreRefusedAsSchemes() {
        assertThatThrownBy(() -> Destinations.number(URI.create("mailto:a@example.org")))
                .isInstanceOfSatisfying(Destinations.Unusable.class, e -> assertThat(e.scheme()).isTrue()).hasMessageContaining("not a tel: URI");
        assertThatThrownBy(() -> Destinations.number(URI.create("ipp://11.22.33.44/ipp/print")))
                .isInstanceOfSatisfying(Destinations.Unusable.class, e -> assertThat(e.scheme()).isTrue());
    }

    @Test
    void whatIsNoNumberIsRefusedAndSaysWhy() {
        assertThatThrownBy(() -> Destinations.number(URI.create("tel:555-CALL"))).hasMessageContaining("'C' is not part of a telephone number");
        assertThatThrownBy(() -> Destinations.number(URI.create("tel:+"))).hasMessageContaining("has no number");
        assertThatThrownBy(() -> Destinations.number(URI.create("tel:0000;ext=12"))).hasMessageContaining("parameters");
        assertThatThrownBy(() -> Destinations.numbers(List.of())).hasMessageContaining("at least one");
        List<URI> many = new ArrayList<>();
        for (int i = 0; i <= Destinations.MAX; i++) many.add(URI.create("tel:" + (1000 + i)));
        assertThatThrownBy(() -> Destinations.numbers(many)).hasMessageContaining("at most " + Destinations.MAX);
    }
}
