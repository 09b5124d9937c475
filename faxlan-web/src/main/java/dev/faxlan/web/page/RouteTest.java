package dev.faxlan.web.page;

/** The rule tester's answer: the mailbox a fax with the values given lands in, and the rule that chose it (null: no rule matched). */
public record RouteTest(String mailbox, RouteRow rule) {}
