package dev.faxlan.lines;

import java.util.List;

/** The fax line settings are wrong; {@link #problems()} lists each, naming its key and value. */
public final class LinesConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public LinesConfigException(List<String> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    private static String message(List<String> problems) {
        if (problems.size() == 1) return "fax line settings: " + problems.get(0);
        return "fax line settings have " + problems.size() + " problems:\n  " + String.join("\n  ", problems);
    }
}
