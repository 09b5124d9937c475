package dev.faxlan.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The package phase generates shell completion and man pages from the command tree (runs after it, under Failsafe). */
class GeneratedDocsIT {
    static final Path TARGET = Path.of("target");

    @Test
    void theCompletionScriptCompletesTheCommandsAndTheirOptions() throws Exception {
        String script = Files.readString(TARGET.resolve("faxlan_completion"), StandardCharsets.UTF_8);
        assertThat(script).contains("complete -F _complete_faxlan").contains("submit").contains("phonebook").contains("--password-file")
                .contains("bashcompinit"); // the same script serves zsh
    }

    @Test
    void everyCommandInTheTreeHasAManPage() throws Exception {
        for (String command : CommandTreeTest.commands().toList()) {
            Path page = TARGET.resolve("man/man1").resolve(command.replace(' ', '-') + ".1");
            assertThat(page).as(command).exists();
            assertThat(Files.readString(page, StandardCharsets.UTF_8)).as(command).contains(".TH").contains(command.substring(command.lastIndexOf(' ') + 1).replace("-", "\\-"));
        }
        assertThat(Files.readString(TARGET.resolve("man/man1/faxlan-phonebook-add.1"), StandardCharsets.UTF_8)).contains("\\-\\-fax");
    }
}
