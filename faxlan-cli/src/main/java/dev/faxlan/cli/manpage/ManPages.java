package dev.faxlan.cli.manpage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Writes a roff man page (section 1) for every command of the tree: {@code faxlan.1},
 * {@code faxlan-submit.1}, {@code faxlan-phonebook-add.1}, ... The launcher's build runs it on the
 * whole tree at prepare-package.
 * Written here rather than through AsciiDoc and asciidoctor, whose JRuby start-up cost the build
 * about 17 s; this takes about one.
 */
public final class ManPages {
    private ManPages() {}

    /** Writes the pages of {@code cl} and of every command below it into {@code dir}. */
    public static void write(CommandLine cl, Path dir) throws IOException {
        CommandSpec spec = cl.getCommandSpec();
        Files.writeString(dir.resolve(fileName(spec)), page(spec), StandardCharsets.UTF_8);
        for (CommandLine sub : new LinkedHashSet<>(cl.getSubcommands().values())) write(sub, dir);
    }

    static String fileName(CommandSpec spec) {
        return spec.qualifiedName("-") + ".1";
    }

    /** The man page of one command. */
    static String page(CommandSpec spec) {
        String name = spec.qualifiedName("-");
        String version = spec.root().version().length > 0 ? spec.root().version()[0] : "faxlan";
        StringBuilder r = new StringBuilder();
        r.append(".TH ").append(quote(name.toUpperCase(java.util.Locale.ROOT))).append(" 1 \"\" ").append(quote(version)).append(" \"faxlan manual\"\n");
        r.append(".SH NAME\n").append(escape(name)).append(" \\- ").append(escape(summary(spec))).append('\n');
        r.append(".SH SYNOPSIS\n.nf\n");
        String synopsis = new CommandLine.Help(spec, new CommandLine.Help.ColorScheme.Builder(CommandLine.Help.Ansi.OFF).build()).synopsis(0).stripTrailing();
        for (String line : synopsis.split("\n")) r.append(escape(line)).append('\n');
        r.append(".fi\n");
        String[] description = spec.usageMessage().description();
        if (description.length > 0) {
            r.append(".SH DESCRIPTION\n");
            for (String d : description) r.append(escape(d)).append("\n.PP\n");
        }
        List<PositionalParamSpec> params = spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
        if (!params.isEmpty()) {
            r.append(".SH ARGUMENTS\n");
            for (PositionalParamSpec p : params) r.append(".TP\n\\fI").append(escape(p.paramLabel())).append("\\fR\n").append(escape(description(p))).append('\n');
        }
        List<OptionSpec> options = spec.options().stream().filter(o -> !o.hidden()).toList();
        if (!options.isEmpty()) {
            r.append(".SH OPTIONS\n");
            for (OptionSpec o : options) {
                List<String> names = new ArrayList<>();
                for (String n : o.names()) names.add("\\fB" + escape(n) + "\\fR");
                String label = o.typeInfo().isBoolean() ? "" : "=\\fI" + escape(o.paramLabel()) + "\\fR";
                r.append(".TP\n").append(String.join(", ", names)).append(label).append('\n').append(escape(description(o))).append('\n');
            }
        }
        Map<String, CommandLine> subs = spec.subcommands();
        if (!subs.isEmpty()) {
            r.append(".SH COMMANDS\n");
            for (CommandLine sub : new LinkedHashSet<>(subs.values())) {
                CommandSpec s = sub.getCommandSpec();
                r.append(".TP\n\\fB").append(escape(s.name())).append("\\fR\n").append(escape(summary(s)))
                        .append(" See \\fB").append(escape(s.qualifiedName("-"))).append("\\fR(1).\n");
            }
        }
        r.append(".SH EXIT STATUS\n0 success; 2 usage error; 3 authentication failed; 4 server unreachable; 5 the server refused the request;"
                + " 1 anything else. Errors are one line on standard error.\n");
        if (spec.parent() != null) r.append(".SH SEE ALSO\n\\fB").append(escape(spec.parent().qualifiedName("-"))).append("\\fR(1)\n");
        return r.toString();
    }

    static String summary(CommandSpec spec) {
        String[] header = spec.usageMessage().header();
        String[] description = spec.usageMessage().description();
        return header.length > 0 ? header[0] : description.length > 0 ? description[0] : "";
    }

    private static String description(ArgSpec a) {
        String d = String.join(" ", a.description());
        String dflt = a.defaultValueString();
        return d.replace("${DEFAULT-VALUE}", dflt == null ? "" : dflt);
    }

    private static String quote(String s) {
        return "\"" + escape(s).replace("\"", "\\(dq") + "\"";
    }

    /** Text safe in roff: backslashes and hyphens escaped, no line starting with a control character. */
    static String escape(String s) {
        String e = s.replace("\\", "\\e").replace("-", "\\-");
        StringBuilder out = new StringBuilder();
        for (String line : e.split("\n", -1)) {
            if (out.length() > 0) out.append('\n');
            if (line.startsWith(".") || line.startsWith("'")) out.append("\\&");
            out.append(line);
        }
        return out.toString();
    }
}
