package dev.faxlan.documents.cover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.cover.CoverTemplate.Text;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoverTemplateParserTest {

    @Test
    void parsesStatementsUnitsAndQuotedText() throws Exception {
        CoverTemplate t = CoverTemplateParser.parse("t", """
                # comment
                margin 1in
                text x=10mm y=50% size=12pt style=bold align=right when=urgent "Say \\"hi\\" ${to}"  # trailing
                """);

        assertThat(t.margin()).isEqualTo(72);
        Text text = (Text) t.elements().get(0);
        assertThat(text.x().points(100)).isCloseTo(28.35, org.assertj.core.api.Assertions.within(0.01));
        assertThat(text.y().points(300)).isEqualTo(150);
        assertThat(text.style().bold()).isTrue();
        assertThat(text.text()).isEqualTo("Say \"hi\" ${to}");
        assertThat(text.when().holds(Map.of("urgent", "yes"))).isTrue();
        assertThat(text.when().holds(Map.of("urgent", "no"))).isFalse();
    }

    @Test
    void substitutesFieldsWithDefaults() {
        assertThat(CoverTemplate.substitute("To ${to}, ${x:none}", Map.of("to", "Ann"))).isEqualTo("To Ann, none");
    }

    @Test
    void errorsNameTheLineAndTheProblem() {
        assertThatThrownBy(() -> CoverTemplateParser.parse("mine.cover", "margin 10mm\ntext x=12 y=0 \"a\""))
                .isInstanceOf(DocumentException.class)
                .hasMessage("cover template mine.cover line 2: x=12 needs a unit: mm, cm, in, pt or %");
        assertThatThrownBy(() -> CoverTemplateParser.parse("t", "text x=0 y=0 colour=red \"a\""))
                .hasMessageContaining("unknown attribute 'colour'");
        assertThatThrownBy(() -> CoverTemplateParser.parse("t", "circle x=0"))
                .hasMessageContaining("unknown statement 'circle'");
        assertThatThrownBy(() -> CoverTemplateParser.parse("t", "text x=0 y=0 \"open"))
                .hasMessageContaining("unterminated string");
    }

    @Test
    void unknownTemplateNameIsAClearError() {
        assertThatThrownBy(() -> CoverTemplates.load("fancy"))
                .isInstanceOf(DocumentException.class)
                .hasMessageContaining("classic, modern");
    }
}
