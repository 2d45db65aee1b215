package io.tlsaccel.cli;

import io.tlsaccel.tls.ticket.TicketKeyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ticket-keys FILE}: makes a session-ticket key file, or rotates an existing one (a new
 * current key; the previous one kept for opening tickets issued before). Servers started with
 * {@code server --ticket-keys FILE} read it again when it changes. Prints no key material.
 */
@Command(name = "ticket-keys", mixinStandardHelpOptions = true,
        description = "Create a session ticket key file, or rotate it if it exists (new current key, previous kept).")
final class TicketKeysCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() throws Exception {
        boolean existed = Files.exists(file);
        var rotated = TicketKeyFile.rotate(file, new SecureRandom());
        int keys = rotated.size();
        rotated.forEach(io.tlsaccel.tls.ticket.TicketKey::destroy);
        System.out.println((existed ? "rotated " : "created ") + file + ": " + keys + " key" + (keys == 1 ? "" : "s")
                + " (the first seals, all open)");
        return 0;
    }
}
