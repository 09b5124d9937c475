package dev.faxlan.mail.fax;

import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which mail addresses are fax numbers: {@code NUMBER@faxDomain}, the local part matching
 * {@code numberPattern}. Every door that takes mail (SMTP gateway, mailbox poller) reads recipients
 * this one way, from the same two settings {@code fax.domain} and {@code address.pattern}.
 */
public record FaxAddresses(String faxDomain, Pattern numberPattern) {

    public static final String DEFAULT_NUMBER_PATTERN = "\\+?[0-9]{1,20}";

    /** Reads {@code fax.domain} and {@code address.pattern}, one line per problem; null when there were any. */
    public static FaxAddresses parse(Properties p, List<String> problems) {
        int before = problems.size();
        String domain = p.getProperty("fax.domain", "").strip().toLowerCase(Locale.ROOT);
        if (domain.isEmpty()) problems.add("fax.domain is missing (the mail domain whose addresses are fax numbers)");
        else if (!domain.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) problems.add("fax.domain '" + domain + "' is not a domain name");
        Pattern pattern = null;
        try {
            pattern = Pattern.compile(p.getProperty("address.pattern", DEFAULT_NUMBER_PATTERN).strip());
        } catch (PatternSyntaxException e) {
            problems.add("address.pattern is not a regular expression: " + e.getDescription());
        }
        return problems.size() > before ? null : new FaxAddresses(domain, pattern);
    }

    /** The fax number of a recipient address, or null when it is not one of ours or not a number. */
    public String numberOf(String address) {
        int at = address.lastIndexOf('@');
        if (at < 1 || !address.substring(at + 1).equalsIgnoreCase(faxDomain)) return null;
        String local = address.substring(0, at);
        return numberPattern.matcher(local).matches() ? local : null;
    }

    public boolean isFaxDomain(String address) {
        int at = address.lastIndexOf('@');
        return at >= 0 && address.substring(at + 1).equalsIgnoreCase(faxDomain);
    }
}
