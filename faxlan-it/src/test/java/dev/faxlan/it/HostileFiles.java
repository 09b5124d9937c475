package dev.faxlan.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Hostile attachments, built in memory: nested zips, an image header of absurd size, PDFs whose
 * page content inflates far or runs long.
 */
final class HostileFiles {
    private HostileFiles() {}

    /** A zip with {@code copies} entries named NAME-i, each holding {@code data}, deflated. */
    static byte[] zip(String name, byte[] data, int copies) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.setLevel(Deflater.BEST_COMPRESSION);
            for (int i = 0; i < copies; i++) {
                z.putNextEntry(new ZipEntry(name + "-" + i + (data.length > 0 && data[0] == 'P' ? ".zip" : "")));
                z.write(data);
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** A PNG header claiming {@code w} x {@code h} one-bit pixels, with one tiny IDAT. */
    static byte[] png(int w, int h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 1).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).array());
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(idat)) {
            d.write(new byte[4096]);
        }
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /**
     * A valid one-page PDF whose content stream is {@code inflated} bytes of spaces, deflated
     * ({@code /Filter /FlateDecode}, about 1,000 to 1). One filter only: PDFBox drops a repeated one.
     */
    static byte[] flatePdf(long inflated) throws IOException {
        return onePagePdf(" ", inflated);
    }

    /** A valid one-page PDF whose content stream is {@code text} {@code times} times, deflated. */
    static byte[] onePagePdf(String text, long times) throws IOException {
        byte[] unit = text.getBytes(StandardCharsets.US_ASCII);
        byte[] content = deflate(out -> {
            int per = Math.max(1, (1 << 20) / unit.length);
            byte[] block = new byte[per * unit.length];
            for (int i = 0; i < per; i++) System.arraycopy(unit, 0, block, i * unit.length, unit.length);
            for (long n = 0; n < times; n += per) out.write(block, 0, (int) Math.min(per, times - n) * unit.length);
        });
        ByteArrayOutputStream pdf = new ByteArrayOutputStream();
        List<Integer> offsets = new ArrayList<>();
        write(pdf, "%PDF-1.4\n");
        offsets.add(pdf.size());
        write(pdf, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
        offsets.add(pdf.size());
        write(pdf, "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
        offsets.add(pdf.size());
        write(pdf, "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>\nendobj\n");
        offsets.add(pdf.size());
        write(pdf, "4 0 obj\n<< /Length " + content.length + " /Filter /FlateDecode >>\nstream\n");
        pdf.write(content);
        write(pdf, "\nendstream\nendobj\n");
        int xref = pdf.size();
        StringBuilder x = new StringBuilder("xref\n0 5\n0000000000 65535 f \n");
        for (int o : offsets) x.append(String.format("%010d 00000 n \n", o));
        x.append("trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n").append(xref).append("\n%%EOF\n");
        write(pdf, x.toString());
        return pdf.toByteArray();
    }

    interface Writing {
        void to(OutputStream out) throws IOException;
    }

    private static byte[] deflate(Writing w) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(Deflater.BEST_COMPRESSION), 1 << 16)) {
            w.to(d);
        }
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
