package im.client.cli;

import im.client.sdk.ImApiException;
import im.client.sdk.ImErrorException;
import im.client.sdk.ImRestClient;
import im.client.sdk.ServerTrust;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Path;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The {@code im} command line. Global options apply to every command; the login state lives in a
 * profile file (see {@link Profile}).
 */
@Command(name = "im", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "im 0.1.0",
        description = "Command-line client of the IM system: account, friends, groups, messages.",
        subcommands = {
                RegisterCommand.class, LoginCommand.class, LogoutCommand.class, WhoamiCommand.class, ProfileCommand.class,
                FriendCommand.class, FriendsCommand.class, GroupCommand.class, SendCommand.class, DownloadCommand.class,
                HistoryCommand.class,
                ChatCommand.class, ConversationsCommand.class, ConversationCommand.class,
                MessageCommand.class, PresenceCommand.class, CommandLine.HelpCommand.class
        })
public final class ImCli implements Runnable {

    static final String DEFAULT_SERVER = "http://localhost:8080";
    static final String DEFAULT_PUSH = "tcp://localhost:7000";
    static final String DEFAULT_TLS_SERVER = "https://localhost:8443";
    static final String DEFAULT_TLS_PUSH = "tls://localhost:7000";
    static final String DEFAULT_PROFILE = "default";

    @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "REST base URL of auth and user (default: the profile's, else " + DEFAULT_SERVER + ").")
    String server;

    @Option(names = "--users-server", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "REST base URL of the user service when it is not the auth server's (a cluster "
                    + "without an ingress; default: the profile's, else --server).")
    String usersServer;

    @Option(names = "--push", scope = ScopeType.INHERIT, paramLabel = "URI",
            description = "Push endpoint, tcp://host:7000, ws://host:7001/ws, tls://... or wss://... (default: the profile's, else "
                    + DEFAULT_PUSH + ").")
    String push;

    @Option(names = "--tls", scope = ScopeType.INHERIT,
            description = "Without --server / --push (and none in the profile), use the TLS defaults "
                    + DEFAULT_TLS_SERVER + " and " + DEFAULT_TLS_PUSH + ".")
    boolean tls;

    @Option(names = "--ca-cert", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Trust TLS servers whose certificate this PEM file's CA (or certificate) signed; "
                    + "host names are checked. Saved in the profile at login.")
    String caCert;

    @Option(names = "--pin", scope = ScopeType.INHERIT, paramLabel = "SHA256",
            description = "Trust exactly the TLS certificate with this SHA-256 fingerprint (the standalone "
                    + "prints it at start); host names are not checked. Saved in the profile at login.")
    String pin;

    @Option(names = "--profile", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "Profile to use: <IM_HOME or ~/.im>/NAME.json (default: " + DEFAULT_PROFILE + ").")
    String profile = DEFAULT_PROFILE;

    private final CliContext context;
    private final ProfileStore profiles;

    public ImCli(CliContext context) {
        this.context = context;
        this.profiles = new ProfileStore(context.home());
    }

    public static void main(String[] args) {
        System.exit(run(CliContext.system(), args));
    }

    /** Runs one command line; the exit code: 0 done, 1 failed, 2 bad usage. */
    public static int run(CliContext context, String... args) {
        return commandLine(context).execute(args);
    }

    static CommandLine commandLine(CliContext context) {
        CommandLine cmd = new CommandLine(new ImCli(context));
        cmd.setOut(new PrintWriter(context.out(), true));
        cmd.setErr(new PrintWriter(context.err(), true));
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            context.err().println("im: " + describe(e));
            return 1;
        });
        return cmd;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is required (see im --help)");
    }

    CliContext context() {
        return context;
    }

    ProfileStore profiles() {
        return profiles;
    }

    /** A command line to suggest to the user, quoted, with --profile when it is not the default one. */
    String suggest(String command) {
        return "`im " + (DEFAULT_PROFILE.equals(profile) ? "" : "--profile " + profile + " ") + command + "`";
    }

    /** The server to use with this profile: --server, else the profile's, else the default. */
    String serverFor(Profile p) {
        return validUri(server != null ? server : p.server() != null ? p.server() : tls ? DEFAULT_TLS_SERVER
                : DEFAULT_SERVER, "--server");
    }

    /** The user service's URL with this profile, or null when the auth server answers for it too. */
    String usersServerFor(Profile p) {
        String chosen = usersServer != null ? usersServer : p.usersServer();
        return chosen == null ? null : validUri(chosen, "--users-server");
    }

    /** The REST client of this profile's servers. */
    ImRestClient restFor(Profile p) {
        URI auth = URI.create(serverFor(p));
        String users = usersServerFor(p);
        return new ImRestClient(auth, users == null ? auth : URI.create(users), Duration.ofSeconds(30), trustFor(p));
    }

    /** The CA file to save in the profile: --ca-cert (absolute), else the profile's unless --pin replaces it. */
    String caCertFor(Profile p) {
        if (caCert != null) {
            return Path.of(caCert).toAbsolutePath().normalize().toString();
        }
        return pin != null ? null : p.caCert();
    }

    /** The pinned fingerprint to save in the profile: --pin, else the profile's unless --ca-cert replaces it. */
    String pinFor(Profile p) {
        if (pin != null) {
            return pin;
        }
        return caCert != null ? null : p.pin();
    }

    /** Which TLS servers this profile believes: a pin, a CA file, or the JDK's roots. */
    ServerTrust trustFor(Profile p) {
        if (caCert != null && pin != null) {
            throw new CliException("--ca-cert and --pin exclude each other: a pin trusts one certificate");
        }
        String chosenPin = pinFor(p);
        String chosenCa = caCertFor(p);
        try {
            if (chosenPin != null) {
                return ServerTrust.pinnedSha256(chosenPin);
            }
            return chosenCa != null ? ServerTrust.caCertificates(Path.of(chosenCa)) : ServerTrust.systemDefault();
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), e);
        }
    }

    String pushFor(Profile p) {
        return validUri(push != null ? push : p.push() != null ? p.push() : tls ? DEFAULT_TLS_PUSH : DEFAULT_PUSH,
                "--push");
    }

    private static String validUri(String value, String option) {
        try {
            URI uri = URI.create(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
            return value;
        } catch (IllegalArgumentException e) {
            throw new CliException(option + " " + value + " is not a URL with scheme and host");
        }
    }

    /** One line for a failure, without stack traces; causes unwrapped to the one that says why. */
    static String describe(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException
                || t instanceof UncheckedIOException) && t.getCause() != null) {
            if (t instanceof UncheckedIOException && t.getMessage() != null && !t.getMessage().isEmpty()) {
                return t.getMessage();
            }
            t = t.getCause();
        }
        if (t instanceof CliException) {
            return t.getMessage();
        }
        if (t instanceof ImErrorException err) {
            return err.getCode() + ": " + err.getMessage();
        }
        if (t instanceof ImApiException api && api.getStatus() == 429) {
            return api.getRetryAfterSeconds().isPresent()
                    ? "too many attempts, try again in " + api.getRetryAfterSeconds().getAsLong() + " s"
                    : "too many attempts, try again later";
        }
        if (t instanceof ImApiException api) {
            return "the server refused: " + api.getMessage();
        }
        if (t instanceof ConnectException) {
            return "cannot connect: " + (t.getMessage() == null ? "connection refused" : t.getMessage());
        }
        if (t instanceof TimeoutException) {
            return "no answer in time: " + t.getMessage();
        }
        if (t instanceof ClosedChannelException) {
            return "the connection closed";
        }
        if (t instanceof RejectedExecutionException) {
            return t.getMessage();
        }
        String message = t.getMessage();
        return message == null ? t.getClass().getSimpleName() : message;
    }
}
