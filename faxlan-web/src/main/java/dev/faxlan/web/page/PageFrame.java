package dev.faxlan.web.page;

/**
 * What the layout template needs of every page: its title, the navigation entry it is, who is
 * logged in (null on the login page) and the CSRF token its forms carry; a notice or an error to show.
 */
public record PageFrame(String title, String active, String user, boolean administrator, String csrfToken, String notice, String error) {
    public PageFrame withNotice(String n) {
        return new PageFrame(title, active, user, administrator, csrfToken, n, error);
    }

    public PageFrame withError(String e) {
        return new PageFrame(title, active, user, administrator, csrfToken, notice, e);
    }

    /** Whether the navigation entry {@code name} is this page's. */
    public String current(String name) {
        return name.equals(active) ? "page" : null;
    }
}
