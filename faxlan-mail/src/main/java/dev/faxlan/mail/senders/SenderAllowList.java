package dev.faxlan.mail.senders;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Sender addresses mapped to faxlan accounts (docs/mail.md, {@code senders.file}): mail from a
 * listed address may be faxed as that account's without the sender logging in. One entry a line,
 * {@code ADDRESS ACCOUNT}; {@code ADDRESS} is {@code name@domain} or {@code *@domain} for every
 * address of a domain, and an address's own entry wins over its domain's. Addresses compare without
 * regard to case. A line starting with {@code #} is a comment.
 */
public final class SenderAllowList {
    /** What the server accepts as a user name (docs/protocol.md §4). */
    private static final Pattern ACCOUNT = Pattern.compile("[a-zA-Z0-9._@-]{1,64}");
    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    private final Map<String, String> addresses;
    private final Map<String, String> domains;

    private SenderAllowList(Map<String, String> addresses, Map<String, String> domains) {
        this.addresses = Map.copyOf(addresses);
        this.domains = Map.copyOf(domains);
    }

    /**
     * Reads the lines of {@code source} (a file's name, for the messages); each problem is added to
     * {@code problems} as {@code SOURCE line N: ...}, and the list is null when there was one.
     */
    public static SenderAllowList parse(String source, List<String> lines, List<String> problems) {
        Map<String, String> addresses = new HashMap<>();
        Map<String, String> domains = new HashMap<>();
        Map<String, Integer> firstLine = new HashMap<>();
        int before = problems.size();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String where = source + " line " + (i + 1) + ": ";
            String[] f = line.split("\\s+");
            if (f.length != 2) {
                problems.add(where + "expected ADDRESS ACCOUNT, not '" + line + "'");
                continue;
            }
            String address = f[0].toLowerCase(Locale.ROOT);
            String account = f[1];
            String problem = address.startsWith("*@") ? domainProblem(address.substring(2)) : addressProblem(address);
            if (problem != null) problems.add(where + problem);
            if (!ACCOUNT.matcher(account).matches()) problems.add(where + "'" + account + "' is not a user name (1 to 64 of a-z A-Z 0-9 . _ @ -)");
            Integer earlier = firstLine.putIfAbsent(address, i + 1);
            if (earlier != null) problems.add(where + f[0] + " is listed already on line " + earlier);
            if (address.startsWith("*@")) domains.put(address.substring(2), account);
            else addresses.put(address, account);
        }
        if (problems.size() == before && addresses.isEmpty() && domains.isEmpty()) problems.add(source + ": lists no senders");
        return problems.size() == before ? new SenderAllowList(addresses, domains) : null;
    }

    /** The account mail from {@code address} is faxed as, if the address (or its domain) is listed. */
    public Optional<String> accountOf(String address) {
        if (address == null) return Optional.empty();
        String a = address.strip().toLowerCase(Locale.ROOT);
        String own = addresses.get(a);
        if (own != null) return Optional.of(own);
        int at = a.lastIndexOf('@');
        return at < 1 ? Optional.empty() : Optional.ofNullable(domains.get(a.substring(at + 1)));
    }

    /** The number of entries. */
    public int size() {
        return addresses.size() + domains.size();
    }

    private static String addressProblem(String address) {
        int at = address.lastIndexOf('@');
        if (at < 1) return "'" + address + "' is not a mail address (name@domain, or *@domain for a whole domain)";
        try {
            InternetAddress parsed = new InternetAddress(address, true); // the library's RFC 822 rules, strictly
            if (!parsed.getAddress().equals(address) || parsed.getPersonal() != null) throw new AddressException("not a bare address");
        } catch (AddressException e) {
            return "'" + address + "' is not a mail address (name@domain, or *@domain for a whole domain)";
        }
        return domainProblem(address.substring(at + 1));
    }

    private static String domainProblem(String domain) {
        return DOMAIN.matcher(domain).matches() ? null : "'" + domain + "' is not a domain name";
    }
}
