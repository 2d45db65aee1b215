package io.tlsaccel.tls.ticket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The ticket-key file a fleet shares, so that a ticket one server issued opens on any other.
 * Text, one key per line, each the Base64 of its 48 bytes ({@code name(16) || AES-256 key(32)});
 * lines starting with {@code #} and blank lines are ignored. The first key is the current one
 * (seals new tickets), the rest only open tickets already issued:
 *
 * <pre>
 * # tlsaccel session ticket keys: first line seals, all lines open
 * 3q2+7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4fICEiIyQlJicoKSorLC0uLw==
 * ...
 * </pre>
 *
 * Rotation (what {@code tlsaccel-cli ticket-keys FILE} does): a new key goes on top, the old
 * current key moves to the second line, older ones drop off. A server seals with the new key
 * as soon as it reads the file and keeps opening tickets under the previous one, so a
 * rotation costs a client at most one full handshake (a ticket sealed by a server that read
 * the new file, presented to one that has not yet). Servers read the file again when its
 * modification time or size changes (checked at most once a second); a file that no longer
 * parses leaves the keys in force and is reported once, without its contents.
 */
public final class TicketKeyFile {
    private static final System.Logger LOG = System.getLogger("io.tlsaccel");
    private static final String HEADER = "# tlsaccel session ticket keys: the first line seals, every line opens\n";
    /** Keys a rotation keeps: the new current one and the previous one. */
    public static final int KEPT_AFTER_ROTATION = 2;
    private static final long RECHECK_NANOS = 1_000_000_000L;

    private TicketKeyFile() {
    }

    /** Reads the keys of a file, current first. */
    public static List<TicketKey> read(Path file) throws IOException {
        List<TicketKey> keys = new ArrayList<>();
        int lineNumber = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            lineNumber++;
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            byte[] encoded;
            try {
                encoded = Base64.getDecoder().decode(t);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " line " + lineNumber + ": not Base64"); // never echo the line
            }
            try {
                keys.add(TicketKey.decode(encoded));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " line " + lineNumber + ": " + e.getMessage());
            } finally {
                Arrays.fill(encoded, (byte) 0);
            }
        }
        if (keys.isEmpty()) {
            throw new IOException(file + " holds no ticket key");
        }
        return keys;
    }

    /**
     * Creates the file with one new key, or rotates it: a new current key, the previous
     * current key kept for opening. Written to a temporary file beside it (owner-only
     * permissions where the file system has them) and moved into place, so readers never
     * see half a file.
     */
    public static List<TicketKey> rotate(Path file, SecureRandom random) throws IOException {
        List<TicketKey> keys = new ArrayList<>();
        keys.add(TicketKey.generate(random));
        if (Files.exists(file)) {
            List<TicketKey> old = read(file);
            keys.addAll(old.subList(0, Math.min(old.size(), KEPT_AFTER_ROTATION - 1)));
            old.subList(Math.min(old.size(), KEPT_AFTER_ROTATION - 1), old.size()).forEach(TicketKey::destroy);
        }
        write(file, keys);
        return keys;
    }

    static void write(Path file, List<TicketKey> keys) throws IOException {
        StringBuilder text = new StringBuilder(HEADER);
        for (TicketKey k : keys) {
            byte[] encoded = k.encode();
            text.append(Base64.getEncoder().encodeToString(encoded)).append('\n');
            Arrays.fill(encoded, (byte) 0);
        }
        Path dir = file.toAbsolutePath().getParent();
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, ".ticket-keys", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            tmp = Files.createTempFile(dir, ".ticket-keys", ".tmp");
        }
        try {
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Ticket keys from the file, read again whenever it changes. */
    public static TicketKeys watch(Path file) throws IOException {
        Watcher w = new Watcher(file);
        return TicketKeys.refreshing(w.initial(), w::newerKeys);
    }

    /** Notices changes by modification time and size, at most once a second. */
    private static final class Watcher {
        private final Path file;
        private FileTime seenTime;
        private long seenSize;
        private long nextCheck;
        private boolean reported;

        Watcher(Path file) {
            this.file = file;
        }

        synchronized List<TicketKey> initial() throws IOException {
            seenTime = Files.getLastModifiedTime(file);
            seenSize = Files.size(file);
            nextCheck = System.nanoTime() + RECHECK_NANOS;
            return read(file);
        }

        synchronized List<TicketKey> newerKeys() {
            long now = System.nanoTime();
            if (now - nextCheck < 0) {
                return null;
            }
            nextCheck = now + RECHECK_NANOS;
            try {
                FileTime time = Files.getLastModifiedTime(file);
                long size = Files.size(file);
                if (time.equals(seenTime) && size == seenSize) {
                    return null;
                }
                List<TicketKey> keys = read(file);
                seenTime = time;
                seenSize = size;
                reported = false;
                return keys;
            } catch (IOException e) {
                if (!reported) {
                    reported = true;
                    LOG.log(System.Logger.Level.WARNING, "ticket keys not re-read, keeping the keys in force: " + e.getMessage());
                }
                return null;
            }
        }
    }
}
