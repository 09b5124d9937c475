package dev.faxlan.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The job states docs/protocol.md §4 lists are exactly the states a job can be in, final ones marked alike. */
class JobStateTest {
    private static final Path PROTOCOL = Path.of("..", "docs", "protocol.md");

    @Test
    void theProtocolDocumentListsEveryJobStateAndNoOther() throws Exception {
        String doc = Files.readString(PROTOCOL).replaceAll("\\s+", " ");
        Matcher list = Pattern.compile("Job states: ([^.(]*)\\(").matcher(doc);
        assertThat(list.find()).as("a 'Job states:' sentence in " + PROTOCOL).isTrue();
        List<String> named = Pattern.compile("`([a-z-]+)`").matcher(list.group(1)).results().map(m -> m.group(1)).toList();
        assertThat(named).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(Arrays.stream(JobState.values()).map(JobState::wire).toList());
    }

    @Test
    void theFinalStatesAreTheLastThreeTheDocumentNames() {
        assertThat(Arrays.stream(JobState.values()).filter(JobState::terminal).map(JobState::wire)).containsExactly("done", "failed", "cancelled");
    }
}
