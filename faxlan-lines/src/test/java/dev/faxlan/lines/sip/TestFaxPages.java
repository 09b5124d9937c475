package dev.faxlan.lines.sip;

import dev.faxlan.engine.image.BilevelPage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Fine-resolution A4 pages with text-like marks, different for each seed. */
public final class TestFaxPages {
    private TestFaxPages() {}

    public static List<BilevelPage> pages(long seed, int count, int rows) {
        List<BilevelPage> out = new ArrayList<>();
        Random r = new Random(seed);
        for (int i = 0; i < count; i++) {
            BilevelPage p = new BilevelPage(1728, rows, 204, 196);
            for (int line = 40; line + 24 < rows - 40; line += 48) {
                for (int x = 100; x < 1600; x += 10 + r.nextInt(30)) {
                    int w = 4 + r.nextInt(14);
                    for (int y = line; y < line + 20; y++) for (int dx = 0; dx < w && x + dx < 1700; dx++) if (r.nextInt(4) != 0) p.setPixel(x + dx, y, true);
                }
            }
            out.add(p);
        }
        return out;
    }
}
