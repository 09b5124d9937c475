package dev.faxlan.server.inbound;

import dev.faxlan.engine.t4.DecodeResult;
import dev.faxlan.engine.tiff.TiffReader;
import dev.faxlan.engine.tiff.TiffWriteOptions;
import dev.faxlan.engine.tiff.TiffWriter;
import dev.faxlan.lines.ReceivedPages;
import dev.faxlan.server.spool.Spool;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * An incoming fax's pages written to a TIFF in the spool's temporary directory as they arrive,
 * hashed on their way out: {@link InboundStore} adopts the finished file as the document, and the
 * call never holds more than the page being received. Pages read back are decoded from the file.
 */
final class SpooledReceivedPages extends ReceivedPages {
    private final Path file;
    private final FileChannel channel;
    private final MessageDigest sha256 = Spool.sha256();
    private final OutputStream out;
    private final TiffWriter writer;
    private InboundStore.Written written;
    private TiffReader reader;

    SpooledReceivedPages(Path file, int maxPages) throws IOException {
        super(maxPages);
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        // Not closed before finish(): closing the stream would close the channel before it is synced.
        this.out = new DigestOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16), sha256);
        // The page total is not known while the fax arrives: PageNumber says 0 ("not known"), as TIFF 6.0 allows.
        this.writer = new TiffWriter(out, TiffWriteOptions.of(InboundStore.ENCODING));
    }

    Path file() {
        return file;
    }

    @Override
    protected synchronized void write(DecodeResult page, int index) throws IOException {
        if (written != null) throw new IOException("the fax's document is already finished");
        writer.writePage(page);
        out.flush(); // the pages before this one leave memory now (the writer holds the last one back)
    }

    /** Ends the TIFF and syncs it to disk; the pages stored so far are the document. */
    synchronized InboundStore.Written finish() throws IOException {
        if (written == null) {
            writer.finish();
            channel.force(true);
            written = new InboundStore.Written(HexFormat.of().formatHex(sha256.digest()), channel.size());
            channel.close();
        }
        return written;
    }

    @Override
    protected synchronized DecodeResult read(int index) throws IOException {
        finish();
        if (reader == null) reader = TiffReader.open(file);
        return reader.readPage(index);
    }

    /** Closes the file and removes it (if it was not adopted into the spool). */
    synchronized void discard() throws IOException {
        try {
            channel.close();
            if (reader != null) reader.close();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
