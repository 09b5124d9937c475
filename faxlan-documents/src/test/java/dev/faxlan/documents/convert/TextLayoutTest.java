package dev.faxlan.documents.convert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextLayoutTest {

    @Test
    void formFeedStartsANewPageAndATrailingOneAddsNothing() {
        assertThat(TextLayout.paginate("a\nb\fc\n\f", 80, 60))
                .containsExactly(List.of("a", "b"), List.of("c"));
    }

    @Test
    void pagesBreakAfterTheLineLimit() {
        assertThat(TextLayout.paginate("1\n2\n3\n4\n5", 80, 2))
                .containsExactly(List.of("1", "2"), List.of("3", "4"), List.of("5"));
    }

    @Test
    void longLinesWrapAtSpacesOrHard() {
        assertThat(TextLayout.paginate("aaaa bbbb cccc", 9, 60).get(0)).containsExactly("aaaa bbbb", "cccc");
        assertThat(TextLayout.paginate("x".repeat(25), 10, 60).get(0))
                .containsExactly("x".repeat(10), "x".repeat(10), "x".repeat(5));
    }

    @Test
    void tabsStopEveryEightColumnsAndControlsAreDropped() {
        assertThat(TextLayout.paginate("ab\tc\u0007d\r\ne", 80, 60).get(0)).containsExactly("ab      cd", "e");
    }

    @Test
    void byteOrderMarkIsIgnoredAndBlankTextIsOneBlankPage() {
        assertThat(TextLayout.paginate("\uFEFFhi", 80, 60)).containsExactly(List.of("hi"));
        assertThat(TextLayout.paginate("\n", 80, 60)).hasSize(1);
    }
}
