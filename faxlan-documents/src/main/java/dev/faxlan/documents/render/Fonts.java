package dev.faxlan.documents.render;

import java.awt.Font;
import java.awt.FontFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fonts for rendering text and cover pages on a headless server. TrueType files are looked up
 * by name in the usual font directories (and in the directory named by the system property
 * {@value #FONT_DIR_PROPERTY}, searched first); when none is found, the Liberation Sans that
 * PDFBox bundles in its jar is used, so rendering never fails for want of fonts. AWT's logical
 * fonts are never used: they need fontconfig and installed fonts.
 */
public final class Fonts {

    /** System property naming an extra directory of .ttf files, searched first. */
    public static final String FONT_DIR_PROPERTY = "faxlan.fonts.dir";

    private static final Logger log = LoggerFactory.getLogger(Fonts.class);

    /** Typeface families the renderers ask for. */
    public enum Family {
        SANS, SERIF, MONO;

        public static Family parse(String s) {
            for (Family f : values()) {
                if (f.name().equalsIgnoreCase(s.trim())) {
                    return f;
                }
            }
            throw new IllegalArgumentException("font '" + s + "' is not sans, serif or mono");
        }
    }

    /** Font files by preference, for plain and bold faces of each family. */
    private static final Map<Family, List<String>> PLAIN = Map.of(
            Family.SANS, List.of("DejaVuSans.ttf", "LiberationSans-Regular.ttf", "NotoSans-Regular.ttf",
                    "Arial.ttf", "arial.ttf", "FreeSans.ttf"),
            Family.SERIF, List.of("DejaVuSerif.ttf", "LiberationSerif-Regular.ttf", "NotoSerif-Regular.ttf",
                    "Times New Roman.ttf", "times.ttf", "FreeSerif.ttf"),
            Family.MONO, List.of("DejaVuSansMono.ttf", "LiberationMono-Regular.ttf", "NotoSansMono-Regular.ttf",
                    "Courier New.ttf", "cour.ttf", "FreeMono.ttf"));
    private static final Map<Family, List<String>> BOLD = Map.of(
            Family.SANS, List.of("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf", "NotoSans-Bold.ttf",
                    "Arial Bold.ttf", "arialbd.ttf", "FreeSansBold.ttf"),
            Family.SERIF, List.of("DejaVuSerif-Bold.ttf", "LiberationSerif-Bold.ttf", "NotoSerif-Bold.ttf",
                    "Times New Roman Bold.ttf", "timesbd.ttf", "FreeSerifBold.ttf"),
            Family.MONO, List.of("DejaVuSansMono-Bold.ttf", "LiberationMono-Bold.ttf", "NotoSansMono-Bold.ttf",
                    "Courier New Bold.ttf", "courbd.ttf", "FreeMonoBold.ttf"));

    private static final String BUNDLED = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";

    private static final Map<Family, Font[]> cache = new EnumMap<>(Family.class);
    private static Map<String, Path> index;

    private Fonts() {
    }

    /** A 1-point font of the family; derive the size with {@link Font#deriveFont(float)}. */
    public static synchronized Font get(Family family, boolean bold) {
        Font[] faces = cache.computeIfAbsent(family, f -> new Font[2]);
        int i = bold ? 1 : 0;
        if (faces[i] == null) {
            faces[i] = load(family, bold);
        }
        return faces[i];
    }

    /** True if every printable ASCII character has the same advance in {@code font}. */
    public static boolean isMonospaced(Font font) {
        java.awt.font.FontRenderContext frc = new java.awt.font.FontRenderContext(null, false, false);
        double w = font.getStringBounds("M", frc).getWidth();
        return Math.abs(font.getStringBounds("i", frc).getWidth() - w) < 1e-3
                && Math.abs(font.getStringBounds(".", frc).getWidth() - w) < 1e-3;
    }

    private static Font load(Family family, boolean bold) {
        List<String> names = new ArrayList<>((bold ? BOLD : PLAIN).get(family));
        for (String name : names) {
            Path p = fontIndex().get(name.toLowerCase(Locale.ROOT));
            if (p != null) {
                try {
                    Font f = Font.createFont(Font.TRUETYPE_FONT, p.toFile()).deriveFont(1f);
                    log.debug("{}{} font: {}", family, bold ? " bold" : "", p);
                    return f;
                } catch (FontFormatException | IOException e) {
                    log.debug("cannot load font {}: {}", p, e.toString());
                }
            }
        }
        if (bold) {
            // Synthesised bold of the plain face.
            return get(family, false).deriveFont(Font.BOLD);
        }
        if (family != Family.SANS) {
            log.debug("no {} font found; using sans", family);
            return get(Family.SANS, false);
        }
        log.debug("no system fonts found; using the font bundled with PDFBox");
        try (InputStream in = Fonts.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("bundled font " + BUNDLED + " missing from the class path");
            }
            return Font.createFont(Font.TRUETYPE_FONT, in).deriveFont(1f);
        } catch (FontFormatException | IOException e) {
            throw new IllegalStateException("bundled font " + BUNDLED + " unreadable", e);
        }
    }

    /** File name (lower case) to path, over all font directories; built once. */
    private static Map<String, Path> fontIndex() {
        if (index != null) {
            return index;
        }
        Map<String, Path> m = new HashMap<>();
        for (Path dir : fontDirectories()) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir, 6)) {
                files.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".ttf"))
                        .forEach(f -> m.putIfAbsent(f.getFileName().toString().toLowerCase(Locale.ROOT), f));
            } catch (IOException | RuntimeException e) {
                log.debug("cannot list fonts in {}: {}", dir, e.toString());
            }
        }
        index = m;
        return m;
    }

    private static List<Path> fontDirectories() {
        List<Path> dirs = new ArrayList<>();
        String extra = System.getProperty(FONT_DIR_PROPERTY);
        if (extra != null && !extra.isBlank()) {
            dirs.add(Path.of(extra));
        }
        String home = System.getProperty("user.home", "");
        if (!home.isEmpty()) {
            dirs.add(Path.of(home, ".local", "share", "fonts"));
            dirs.add(Path.of(home, ".fonts"));
        }
        // Linux, BSD, macOS and Windows locations.
        dirs.add(Path.of("/usr/share/fonts"));
        dirs.add(Path.of("/usr/local/share/fonts"));
        dirs.add(Path.of("/Library/Fonts"));
        dirs.add(Path.of("/System/Library/Fonts"));
        String windir = System.getenv("WINDIR");
        if (windir != null) {
            dirs.add(Path.of(windir, "Fonts"));
        }
        return dirs;
    }

    /** Forgets found fonts; for tests that change {@value #FONT_DIR_PROPERTY}. */
    static synchronized void reset() {
        cache.clear();
        index = null;
    }
}
