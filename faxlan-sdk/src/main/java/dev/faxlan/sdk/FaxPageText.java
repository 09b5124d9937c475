package dev.faxlan.sdk;

import dev.faxlan.protocol.message.InboxMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * The text the server read (OCR) from one page of a received fax. {@code read} is false while the
 * page waits to be read, or when the server has no OCR; then there is no text and no words. Word
 * boxes are in the pixels of a {@code width} × {@code height} image of the page.
 */
public record FaxPageText(long fax, int page, int pages, boolean read, int width, int height, String text, List<Word> words) {
    /** A word and its box; {@code line} counts the page's lines from 0. */
    public record Word(String text, int left, int top, int width, int height, int line) {}

    public FaxPageText {
        words = List.copyOf(words);
    }

    static FaxPageText from(InboxMessage.Text t) {
        List<Word> words = new ArrayList<>();
        if (t.words() != null) {
            for (InboxMessage.Word w : t.words()) {
                words.add(new Word(w.text(), (int) w.left(), (int) w.top(), (int) w.width(), (int) w.height(), (int) w.line()));
            }
        }
        return new FaxPageText(t.fax(), (int) t.page(), (int) t.pages(), t.read(), (int) FaxlanClient.or(t.width(), 0),
                (int) FaxlanClient.or(t.height(), 0), t.text() != null ? t.text() : "", words);
    }
}
