package dev.faxlan.mail.fax;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.sdk.Contact;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A local part names an entry of the sender's phonebook: dots and underscores for spaces, any case, own before shared. */
class PhonebookNamesTest {
    static final Contact SMITH = new Contact(1, "Dr. Smith", "Clinic", "+15550100", false);
    static final Contact ACCOUNTS = new Contact(2, "Accounts Payable", null, "+15550200", true);
    static final Contact SHARED_SMITH = new Contact(3, "Dr Smith", null, "+15550300", true);
    static final PhonebookNames BOOK = new PhonebookNames(List.of(SMITH, ACCOUNTS, SHARED_SMITH));

    @Test
    void dotsUnderscoresAndQuotesReadAsSpacesInAnyCase() {
        assertThat(BOOK.find("dr.smith")).contains(SMITH);
        assertThat(BOOK.find("DR_SMITH")).contains(SMITH);
        assertThat(BOOK.find("\"Dr. Smith\"")).contains(SMITH);
        assertThat(BOOK.find("accounts.payable")).contains(ACCOUNTS);
        assertThat(BOOK.find("\"Accounts  Payable\"")).contains(ACCOUNTS);
    }

    @Test
    void theSendersOwnEntryComesBeforeASharedOne() {
        assertThat(BOOK.find("dr_smith")).contains(SMITH);
        assertThat(new PhonebookNames(List.of(SHARED_SMITH)).find("dr.smith")).contains(SHARED_SMITH);
    }

    @Test
    void unknownNamesAndGuessesFindNothing() {
        assertThat(BOOK.find("bob")).isEmpty();
        assertThat(BOOK.find("smith")).isEmpty();
        assertThat(BOOK.find("\"\"")).isEmpty();
        Contact a = new Contact(4, "Front Desk", null, "+1", false);
        Contact b = new Contact(5, "front.desk", null, "+2", false);
        PhonebookNames twins = new PhonebookNames(List.of(a, b));
        assertThat(twins.find("front.desk")).contains(b);
        assertThat(twins.find("front_desk")).isEmpty();
    }

    @Test
    void theNameIsShownAsAPersonWritesIt() {
        assertThat(PhonebookNames.spoken("dr.smith")).isEqualTo("dr smith");
        assertThat(PhonebookNames.spoken("\"Dr \\\"Doc\\\" Smith\"")).isEqualTo("Dr \"Doc\" Smith");
    }
}
