package io.tlsaccel.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;

/**
 * The CLI's {@code server} command run in this JVM on a thread (for tests): {@link #start}
 * returns once it listens (or has failed); {@link #close} stops it as Ctrl-C would.
 */
public final class CliServer implements AutoCloseable {
    private final ServerCommand command = new ServerCommand();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final AtomicReference<Integer> exit = new AtomicReference<>();
    private final Thread thread;

    private CliServer(String... args) {
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        thread = new Thread(() -> exit.set(cl.execute(args)), "cli-server");
        thread.setDaemon(true);
    }

    /** Runs {@code server ARGS} (add {@code --port 0}); waits up to 20 s for it to listen. */
    public static CliServer start(String... args) throws InterruptedException {
        CliServer s = new CliServer(args);
        s.thread.start();
        long end = System.currentTimeMillis() + 20_000;
        while (s.command.boundPort() < 0 && s.thread.isAlive() && System.currentTimeMillis() < end) {
            Thread.sleep(10);
        }
        if (s.command.boundPort() < 0) {
            s.close();
            throw new IllegalStateException("server did not start (exit " + s.exit.get() + "):\n" + s.output());
        }
        return s;
    }

    public int port() {
        return command.boundPort();
    }

    /** What the command printed (stdout, then stderr). */
    public String output() {
        return out + err.toString();
    }

    /** The exit code once it has stopped, else null. */
    public Integer exitCode() {
        return exit.get();
    }

    @Override
    public void close() throws InterruptedException {
        if (command.boundPort() >= 0) {
            command.stop();
        }
        thread.join(15_000);
    }
}
