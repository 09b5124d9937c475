package dev.faxlan.cli.settings;

import java.util.List;

/** A configuration that cannot be used: every problem found, one line each, so a mistyped file is fixed in one round. */
public class InvalidSettings extends Exception {
    private final List<String> problems;

    public InvalidSettings(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
