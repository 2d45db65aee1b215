package io.tlsaccel.cli;

import io.tlsaccel.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tlsaccel-cli.jar} entry point. */
@Command(name = "tlsaccel", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "TLS for the JVM with record crypto in C (AES-NI/VAES) and a pure-Java fallback.",
        subcommands = {InfoCommand.class, ServerCommand.class, ClientCommand.class, DemoCommand.class, BenchCommand.class,
            TicketKeysCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tlsaccel " + Version.VERSION};
        }
    }
}
